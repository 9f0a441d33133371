package io.tether.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.registry.EndpointLabels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --label KEY=VALUE}, repeatable: what the task's endpoint is registered with, for a service's
 * {@code subsets} to select it (README "Canaries and test traffic"), e.g. {@code --label version=v2}. A
 * config file's {@code labels} object is used when no flag is given.
 */
final class LabelOption {
  @Option(names = "--label", paramLabel = "KEY=VALUE",
      description = "A label the endpoint is registered with, repeatable, e.g. --label version=v2 (config: labels)")
  List<String> labels;

  /** The flags, else {@code fromFile} (an object of strings, or null); checked by the registry's rules. */
  Map<String, String> resolve(JsonNode fromFile) {
    if (labels != null) {
      return EndpointLabels.parse("--label", labels);
    }
    if (fromFile == null || fromFile.isNull()) {
      return Map.of();
    }
    if (!fromFile.isObject()) {
      throw new IllegalArgumentException("labels in --config must be an object of strings, e.g. {\"version\": \"v2\"}");
    }
    Map<String, String> out = new LinkedHashMap<>();
    fromFile.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("labels." + e.getKey() + " in --config must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return EndpointLabels.checked("labels in --config", out);
  }
}
