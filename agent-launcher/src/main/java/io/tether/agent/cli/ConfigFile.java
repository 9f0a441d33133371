package io.tether.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tether agent run --config FILE}: the file's options, keyed by the flags' names without dashes,
 * each read with its flag first (flags win) and then the file's value.
 */
record ConfigFile(JsonNode node) {
  static ConfigFile empty() {
    return new ConfigFile(Json.MAPPER.createObjectNode());
  }

  JsonNode get(String key) {
    return node.get(key);
  }

  String text(String key) {
    return node.hasNonNull(key) ? node.get(key).asText() : null;
  }

  String text(String flag, String key) {
    return flag != null ? flag : text(key);
  }

  int number(Integer flag, String key, int fallback) {
    return flag != null ? flag : node.hasNonNull(key) ? node.get(key).asInt() : fallback;
  }

  Integer number(Integer flag, String key) {
    return flag != null ? flag : node.hasNonNull(key) ? Integer.valueOf(node.get(key).asInt()) : null;
  }

  boolean flag(Boolean flag, String key) {
    return flag != null ? flag : node.path(key).asBoolean(false);
  }

  Path path(Path flag, String key) {
    return flag != null ? flag : node.hasNonNull(key) ? Path.of(node.get(key).asText()) : null;
  }

  List<String> strings(List<String> flag, String key) {
    return flag != null ? flag : node.has(key) ? List.of(Json.MAPPER.convertValue(node.get(key), String[].class)) : null;
  }
}
