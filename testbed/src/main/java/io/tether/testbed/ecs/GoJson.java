package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/**
 * JSON as Go's {@code encoding/json} writes the agent's structs: fields in struct order, {@code omitempty}
 * fields left out when empty, times in RFC 3339 with nanoseconds and no trailing zeros
 * ({@code time.Time.MarshalJSON}), a float64 without a fraction written as an integer.
 */
final class GoJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private GoJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Go's RFC3339Nano in UTC: {@code 2026-12-02T03:21:48.1234Z}. */
  static String time(Instant t) {
    String fraction = "";
    if (t.getNano() != 0) {
      fraction = String.format(".%09d", t.getNano()).replaceAll("0+$", "");
    }
    return SECONDS.format(t) + fraction + "Z";
  }

  /** A {@code string} field with {@code omitempty}. */
  static void text(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }

  /** A {@code *time.Time} field with {@code omitempty}. */
  static void time(ObjectNode node, String field, Instant value) {
    if (value != null) {
      node.put(field, time(value));
    }
  }

  /** A {@code map[string]string} field with {@code omitempty} (Go sorts map keys). */
  static void map(ObjectNode node, String field, Map<String, String> value) {
    if (value != null && !value.isEmpty()) {
      ObjectNode m = node.putObject(field);
      value.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
    }
  }

  /** A slice field with {@code omitempty}: left out when empty. */
  static void array(ObjectNode node, String field, Collection<? extends com.fasterxml.jackson.databind.JsonNode> items) {
    if (items != null && !items.isEmpty()) {
      node.putArray(field).addAll(items);
    }
  }

  /** A {@code float64}: {@code 2}, not {@code 2.0}. */
  static void number(ObjectNode node, String field, double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      node.put(field, (long) value);
    } else {
      node.put(field, value);
    }
  }
}
