package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The fields two JSON documents differ in, by path ({@code timeout.perRequestTimeoutSeconds},
 * {@code clientAliases[1]}), as {@code svc diff} prints them: {@code + path: new}, {@code - path: old},
 * {@code ~ path: old -> new}. Objects are compared field by field, arrays element by element.
 */
final class SpecDiff {
  private SpecDiff() {}

  static List<String> between(JsonNode stored, JsonNode wanted) {
    List<String> lines = new ArrayList<>();
    diff("", stored, wanted, lines);
    return lines;
  }

  private static void diff(String path, JsonNode old, JsonNode now, List<String> out) {
    if (old.isObject() && now.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      old.fieldNames().forEachRemaining(keys::add);
      now.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        diff(path.isEmpty() ? k : path + "." + k, old.path(k), now.path(k), out);
      }
    } else if (old.isArray() && now.isArray()) {
      Iterator<JsonNode> a = old.elements();
      Iterator<JsonNode> b = now.elements();
      for (int i = 0; a.hasNext() || b.hasNext(); i++) {
        diff(path + "[" + i + "]", next(a), next(b), out);
      }
    } else if (old.isMissingNode() && !now.isMissingNode()) {
      out.add("+ " + path + ": " + Json.writeString(now));
    } else if (!old.isMissingNode() && now.isMissingNode()) {
      out.add("- " + path + ": " + Json.writeString(old));
    } else if (!old.equals(now)) {
      out.add("~ " + path + ": " + Json.writeString(old) + " -> " + Json.writeString(now));
    }
  }

  private static JsonNode next(Iterator<JsonNode> it) {
    return it.hasNext() ? it.next() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
