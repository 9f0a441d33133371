package io.tether.agent.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The result of an injection.
 *
 * @param document the input document with the sidecar added (a task definition, or describe output
 *     around one), everything else as it was
 * @param notes what the operator should know about the result, one sentence each
 */
public record Injection(ObjectNode document, List<String> notes) {
  public Injection {
    notes = List.copyOf(notes);
  }
}
