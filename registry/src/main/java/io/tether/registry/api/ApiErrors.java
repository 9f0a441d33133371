package io.tether.registry.api;

import io.tether.model.json.Json;
import io.tether.model.RegistryException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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
  private static final long LINGER_MILLIS = 2_000;

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
    response.end(Buffer.buffer(Json.write(body(e)))).onComplete(done -> closeAfterRequest(request));
  }

  /**
   * Closes the connection once the client has finished sending (Vert.x does not close it for the
   * header alone). A request still sending its body is read and discarded for a moment first, a
   * "lingering close": closing at once would reset the connection under a client that is still
   * writing, and it would lose the answer.
   */
  private static void closeAfterRequest(HttpServerRequest request) {
    Context context = Vertx.currentContext();
    if (request.isEnded() || context == null) {
      request.connection().close();
      return;
    }
    Vertx vertx = context.owner();
    long timer = vertx.setTimer(LINGER_MILLIS, t -> request.connection().close());
    request.handler(discarded -> { });
    request.exceptionHandler(failed -> request.connection().close());
    request.endHandler(ended -> {
      vertx.cancelTimer(timer);
      request.connection().close();
    });
    request.resume();
  }
}
