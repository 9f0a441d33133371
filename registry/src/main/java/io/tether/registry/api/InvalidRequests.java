package io.tether.registry.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not parse (a malformed request line, an unknown HTTP
 * version, oversized headers) in the API's JSON error format instead of Vert.x's empty default, and
 * closes their connection: after a framing error nothing more on it can be trusted.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest request) {
    ApiErrors.sendAndClose(request, refusal(request.decoderResult().cause()));
  }

  static RegistryException refusal(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new RegistryException(ErrorCode.URI_TOO_LONG, "the request line is too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new RegistryException(ErrorCode.HEADERS_TOO_LARGE, "the request headers are too large");
    }
    return new RegistryException(ErrorCode.INVALID_ARGUMENT, cause == null
        ? "unsupported HTTP version: this API speaks HTTP/1.0 and HTTP/1.1"
        : "malformed HTTP request: " + shortMessage(cause));
  }

  static String shortMessage(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }
}
