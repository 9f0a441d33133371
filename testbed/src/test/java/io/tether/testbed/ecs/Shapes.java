package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeSet;

/**
 * The shape of a JSON document: the set of its field paths ({@code Tasks[].Containers[].Ports[].HostPort}),
 * elements of an array merged. The fixtures under {@code src/main/resources/ecs/} record the shapes the ECS
 * agent's structs give (README.md there names the Go source of each field); the tests compare the emulation's
 * answers with them.
 */
final class Shapes {
  private Shapes() {}

  static JsonNode fixture(String name) {
    try (InputStream in = Shapes.class.getResourceAsStream("/ecs/" + name)) {
      if (in == null) {
        throw new AssertionError("no fixture /ecs/" + name);
      }
      return GoJson.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TreeSet<String> paths(JsonNode node) {
    TreeSet<String> out = new TreeSet<>();
    collect(node, "", out);
    return out;
  }

  static void assertSameShape(JsonNode actual, JsonNode fixture) {
    assertThat(paths(actual)).as("the fields of %s", actual).containsExactlyElementsOf(paths(fixture));
  }

  private static void collect(JsonNode node, String prefix, TreeSet<String> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        out.add(path);
        collect(e.getValue(), path, out);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        collect(element, prefix + "[]", out);
      }
    }
  }
}
