package io.tether.registry.api;

import io.tether.registry.json.Json;
import io.tether.registry.model.RegistryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's one error format, {@code {"error": {"code", "message", "field"}}}, for the router's
 * handlers and for the guards in front of it alike.
 */
final class ApiErrors {
  private ApiErrors() {}

  static Map<String, Object> body(RegistryException e) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("code", e.code().name());
    detail.put("message", e.getMessage());
    if (e.field() != null) {
      detail.put("field", e.field());
    }
    return Map.of("error", detail);
  }

  /**
   * Answers with the error and closes the connection once the answer is out: used where the rest of
   * the request (a body, a header) was not read and the connection cannot carry another request.
   */
  static void sendAndClose(HttpServerRequest request, RegistryException e) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (!response.headWritten()) {
      response.setStatusCode(e.code().httpStatus())
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CONNECTION, "close");
    }
    // Close even when the request has ended: the header alone does not make Vert.x close it.
    response.end(Buffer.buffer(Json.write(body(e)))).onComplete(done -> request.connection().close());
  }
}
