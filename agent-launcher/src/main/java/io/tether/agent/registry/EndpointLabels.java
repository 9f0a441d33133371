package io.tether.agent.registry;

import io.tether.model.RegistryException;
import io.tether.model.Validation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels an agent registers its endpoints with (README "Canaries and test traffic"): {@code KEY=VALUE}
 * pairs from {@code --label}, a config file's {@code labels} or {@code TETHER_LABELS}, checked by the
 * registry's own rules before the task starts, so a bad label stops it with one line naming where it was.
 */
public final class EndpointLabels {
  private EndpointLabels() {}

  /** {@code TETHER_LABELS}' form: {@code version=v2,track=canary}; null or blank is none. */
  public static Map<String, String> parseList(String source, String value) {
    if (value == null || value.isBlank()) {
      return Map.of();
    }
    return parse(source, List.of(value.split(",", -1)));
  }

  /** One {@code KEY=VALUE} per entry; a key given twice, or an entry without '=', is refused. */
  public static Map<String, String> parse(String source, List<String> pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(source + " '" + pair + "' is not KEY=VALUE (e.g. version=v2)");
      }
      if (labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException(source + " gives the label " + pair.substring(0, eq).trim() + " twice");
      }
    }
    return checked(source, labels);
  }

  /** {@code labels} if the registry would take them, else IllegalArgumentException with its message. */
  public static Map<String, String> checked(String source, Map<String, String> labels) {
    try {
      return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(Validation.labels(source, labels)));
    } catch (RegistryException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
