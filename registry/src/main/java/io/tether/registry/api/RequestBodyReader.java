package io.tether.registry.api;

import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body into memory for the JSON handlers, within {@link HttpLimits#bodyLimit()} bytes
 * and {@link HttpLimits#bodyTimeout()}. The body is taken as JSON whatever its Content-Type says
 * (curl's {@code -d} sends a form type): unlike Vert.x's BodyHandler, nothing here decodes forms or
 * multipart, so no content type can make a client's mistake an internal error. A body that breaks
 * the limit, stalls or is malformed on the wire (a bad chunk size) is answered 413, 408 or 400 and
 * its connection closed.
 */
final class RequestBodyReader {
  private static final String BODY = "tether.body";
  private final HttpLimits limits;

  RequestBodyReader(HttpLimits limits) {
    this.limits = limits;
  }

  /** The body read for this request, or null when it had none. */
  static byte[] body(RoutingContext ctx) {
    Buffer body = ctx.get(BODY);
    return body == null || body.length() == 0 ? null : body.getBytes();
  }

  void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      ctx.next();
      return;
    }
    if (declaredLength(request) > limits.bodyLimit()) {
      refuse(ctx, tooLarge());
      return;
    }
    Buffer body = Buffer.buffer();
    long timer = ctx.vertx().setTimer(limits.bodyTimeout().toMillis(), t -> refuse(ctx, new RegistryException(
        ErrorCode.REQUEST_TIMEOUT, "the request body did not arrive within " + limits.bodyTimeout().toSeconds() + " s")));
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limits.bodyLimit()) {
        ctx.vertx().cancelTimer(timer);
        refuse(ctx, tooLarge());
      } else if (!ctx.response().ended()) {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(e -> {
      ctx.vertx().cancelTimer(timer);
      refuse(ctx, new RegistryException(ErrorCode.INVALID_ARGUMENT,
          "malformed request body: " + InvalidRequests.shortMessage(e)));
    });
    request.endHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      if (!ctx.response().ended()) {
        ctx.put(BODY, body);
        ctx.next();
      }
    });
    request.resume();
  }

  private RegistryException tooLarge() {
    return new RegistryException(ErrorCode.PAYLOAD_TOO_LARGE,
        "request body is larger than the limit of " + limits.bodyLimit() + " bytes");
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void refuse(RoutingContext ctx, RegistryException e) {
    ApiErrors.sendAndClose(ctx.request(), e);
  }
}
