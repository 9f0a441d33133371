package io.tether.registry.api;

import io.tether.model.json.Json;
import io.vertx.core.buffer.Buffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /}: where to go from the server's root, for someone who typed its address (curl, a browser).
 * A browser (Accept: text/html) is sent to the web console; anything else gets a small JSON index naming
 * the console, the OpenAPI document, the probes and the docs. No token: it says nothing about the mesh.
 */
final class ApiIndex {
  private static final Map<String, String> INDEX = index();

  private ApiIndex() {}

  private static Map<String, String> index() {
    Map<String, String> index = new LinkedHashMap<>();
    index.put("service", "tether");
    index.put("console", "/ui/");
    index.put("openapi", "/openapi.yaml");
    index.put("openapiJson", "/openapi.json");
    index.put("api", "/v1 (a bearer token is required: Authorization: Bearer TOKEN)");
    index.put("health", "/healthz");
    index.put("ready", "/readyz");
    index.put("metrics", "/metrics");
    index.put("docs", "README.md and docs/ (cli.md, operations.md) in the Tether source tree");
    return Collections.unmodifiableMap(index);
  }

  static void mount(RegistryApi api) {
    Buffer body = Buffer.buffer(Json.write(INDEX));
    api.get("/", ctx -> {
      String accept = ctx.request().getHeader("Accept");
      if (accept != null && accept.contains("text/html")) {
        ctx.response().setStatusCode(302).putHeader("Location", "/ui/").end();
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(body);
      }
    });
  }
}
