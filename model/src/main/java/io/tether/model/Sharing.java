package io.tether.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A service's place across namespaces (README "Exports and imports"): the namespaces it is {@code exports}ed
 * to, or, on an import service, the exporter it stands for ({@code importFrom}). Unwrapped into the spec's
 * JSON and left out of it when empty, so a spec without them is stored and answered as before they existed.
 */
public record Sharing(@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> exports, ImportFrom importFrom) {
  public static final Sharing NONE = new Sharing(List.of(), null);

  public Sharing {
    exports = exports == null ? List.of() : Lists.copyKeepingNulls(exports);
  }

  /** Whether this is an import service: no endpoints, routes or subsets of its own. */
  public boolean imports() {
    return importFrom != null;
  }

  /** Whether the service is exported to {@code namespace}. */
  public boolean exportsTo(String namespace) {
    return exports.contains(namespace);
  }
}
