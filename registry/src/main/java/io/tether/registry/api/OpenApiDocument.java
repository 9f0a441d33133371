package io.tether.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document of the REST API, served without a token at {@code GET /openapi.yaml} and
 * {@code GET /openapi.json}: the same tree in two syntaxes. It is kept in several files (each under the
 * project's 300-line limit) that are merged once, at start-up; OpenApiConformanceTest keeps it true.
 */
public final class OpenApiDocument {
  /** The parts, merged in this order; a new paths-*.yaml or components-*.yaml is listed here. */
  static final List<String> PARTS = List.of("openapi.yaml", "paths-namespaces.yaml", "paths-endpoints.yaml",
      "paths-proxies.yaml", "paths-watch.yaml", "paths-console.yaml", "paths-tokens.yaml", "paths-authorizations.yaml",
      "components-common.yaml",
      "components-specs.yaml", "components-answers.yaml", "components-mesh.yaml");
  private static final String FOLDER = "/io/tether/registry/api/openapi/";
  // Readable: quotes only where YAML needs them (and on strings that look like numbers, so they stay
  // strings), multi-line descriptions as literal blocks.
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode tree;
  private final Buffer yaml;
  private final Buffer json;

  private OpenApiDocument(JsonNode tree) {
    this.tree = tree;
    try {
      this.yaml = Buffer.buffer(YAML.writeValueAsBytes(tree));
      this.json = Buffer.buffer(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as the server serves it. */
  public static OpenApiDocument load() {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    for (String part : PARTS) {
      try (InputStream in = OpenApiDocument.class.getResourceAsStream(FOLDER + part)) {
        if (in == null) {
          throw new IllegalStateException("OpenAPI part " + part + " is not on the classpath");
        }
        merge(merged, YAML.readTree(in), part);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read OpenAPI part " + part, e);
      }
    }
    return new OpenApiDocument(merged);
  }

  /** Adds {@code part} to {@code into}: objects merge key by key; any other value defined twice is a mistake. */
  private static void merge(ObjectNode into, JsonNode part, String where) {
    for (Map.Entry<String, JsonNode> field : part.properties()) {
      JsonNode existing = into.get(field.getKey());
      if (existing == null) {
        into.set(field.getKey(), field.getValue());
      } else if (existing.isObject() && field.getValue().isObject()) {
        merge((ObjectNode) existing, field.getValue(), where + ": " + field.getKey());
      } else {
        throw new IllegalStateException("OpenAPI part " + where + " defines '" + field.getKey() + "' again");
      }
    }
  }

  public JsonNode tree() {
    return tree;
  }

  /** Mounts {@code GET /openapi.yaml} and {@code GET /openapi.json} (outside /v1, so without a token). */
  void mount(RegistryApi api) {
    api.get("/openapi.yaml", ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(yaml));
    api.get("/openapi.json", ctx -> ctx.response().putHeader("Content-Type", "application/json").end(json));
  }
}
