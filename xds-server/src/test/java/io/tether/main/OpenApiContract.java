package io.tether.main;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the served OpenAPI document promises, asked of one answer at a time: is this status listed for
 * the operation, are its required headers there, does its body validate against the schema given for
 * it. Schemas are checked with networknt's json-schema-validator in the OpenAPI 3.1 dialect, against
 * the document itself, so a {@code $ref} resolves exactly as a client of the document resolves it.
 */
final class OpenApiContract {
  private static final String BASE = "https://tether.invalid/openapi.json";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

  private final JsonNode document;
  private final SchemaRegistry schemas;

  OpenApiContract(JsonNode document) {
    this.document = document;
    // The document is known to the registry by an address of its own, so "BASE#/components/…" and the
    // document's own "#/components/…" references resolve in it, without any network.
    this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(),
        builder -> builder.schemas(Map.of(BASE, document.toString())));
  }

  /** Every documented path, its parameters written {@code {}}, with its methods in upper case. */
  Map<String, TreeSet<String>> operations() {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    document.path("paths").properties().forEach(path -> {
      TreeSet<String> methods = new TreeSet<>();
      path.getValue().properties().forEach(op -> {
        if (METHODS.contains(op.getKey())) {
          methods.add(op.getKey().toUpperCase());
        }
      });
      out.put(path.getKey().replaceAll("\\{[^}/]+}", "{}"), methods);
    });
    return out;
  }

  /** The problems with one answer to {@code method path} (path as documented); empty when it conforms. */
  List<String> problems(String method, String path, int status, Map<String, String> headers, String contentType,
      JsonNode body) {
    JsonNode responses = document.path("paths").path(path).path(method.toLowerCase()).path("responses");
    if (responses.isMissingNode()) {
      return List.of(method + " " + path + " is not documented");
    }
    JsonNode response = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status))
        : responses.path("default");
    if (response.isMissingNode()) {
      return List.of(method + " " + path + " answered " + status + ", which the document does not list: "
          + names(responses.fieldNames()));
    }
    response = resolve(response);
    List<String> problems = new ArrayList<>();
    response.path("headers").properties().forEach(h -> {
      if (resolve(h.getValue()).path("required").asBoolean() && !headers.containsKey(h.getKey().toLowerCase())) {
        problems.add(status + " must carry the header " + h.getKey());
      }
    });
    JsonNode content = response.path("content");
    if (content.isMissingNode()) {
      if (body != null) {
        problems.add(status + " is documented without a body, but had one");
      }
      return problems;
    }
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    if (!content.has(type)) {
      problems.add(status + " has Content-Type '" + contentType + "', documented: " + names(content.fieldNames()));
    } else if (type.equals("application/json")) {
      problems.addAll(validate(content.get(type).path("schema"), body));
    }
    return problems;
  }

  /** The problems of {@code value} against the document's schema {@code #/components/schemas/name}. */
  List<String> schemaProblems(String name, JsonNode value) {
    if (!document.path("components").path("schemas").has(name)) {
      return List.of("the document has no schema " + name);
    }
    return validate(Json.MAPPER.createObjectNode().put("$ref", "#/components/schemas/" + name), value);
  }

  private List<String> validate(JsonNode schemaNode, JsonNode body) {
    if (body == null) {
      return List.of("a JSON body is documented, but there was none");
    }
    String ref = schemaNode.path("$ref").asText(null);
    // Inline schemas are plain ones (e.g. {type: object}); anything with structure is a component.
    Schema schema = ref == null ? schemas.getSchema(schemaNode.toString()) : schemas.getSchema(SchemaLocation.of(BASE + ref));
    return schema.validate(body).stream().map(Error::toString).map(e -> e + " in " + body).toList();
  }

  /** A response or header given as {@code $ref} to components, followed. */
  private JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asText(null);
    return ref == null ? node : document.at(ref.substring(1));
  }

  private static String names(Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return String.join(", ", out);
  }
}
