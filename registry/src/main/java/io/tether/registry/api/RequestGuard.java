package io.tether.registry.api;

import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a request's framing before the router sees it, and refuses what the router would
 * misread: the router normalises a path before matching it, so {@code …/services/%2e%2e} would be
 * routed as its parent. Here a path must already be in normal form (no dot segments, no empty
 * segments, no percent escapes: every segment of the API is a plain name), so that what is routed
 * is exactly what the client sent. A refused request gets the API's JSON error and its connection
 * is closed, since its body was not read.
 */
final class RequestGuard implements Handler<HttpServerRequest> {
  private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~-]+)(:[0-9]{1,5})?");
  private static final Pattern QUERY_ESCAPES = Pattern.compile("([^%]|%[0-9A-Fa-f]{2})*");

  private final Handler<HttpServerRequest> router;
  private final ConnectionGuard connections;

  RequestGuard(Handler<HttpServerRequest> router, ConnectionGuard connections) {
    this.router = router;
    this.connections = connections;
  }

  @Override
  public void handle(HttpServerRequest request) {
    connections.requestStarted(request.connection());
    RegistryException refusal = refusal(request);
    if (refusal != null) {
      request.response().endHandler(v -> connections.responseEnded(request.connection()));
      ApiErrors.sendAndClose(request, refusal);
      return;
    }
    router.handle(request);
  }

  /** Why the request cannot be routed as sent, or null when it can. */
  static RegistryException refusal(HttpServerRequest request) {
    String problem = hostProblem(request.headers().getAll(HttpHeaders.HOST));
    if (problem == null) {
      problem = targetProblem(request.uri(), request.path(), request.query());
    }
    if (problem != null) {
      return new RegistryException(ErrorCode.INVALID_ARGUMENT, problem);
    }
    return encodingRefusal(request);
  }

  static String hostProblem(List<String> hosts) {
    if (hosts.size() != 1) {
      return hosts.isEmpty() ? "a Host header is required" : "exactly one Host header is allowed";
    }
    return HOST.matcher(hosts.get(0)).matches() ? null : "the Host header is not a valid host[:port]";
  }

  static String targetProblem(String uri, String path, String query) {
    if (!uri.startsWith("/") || path == null) {
      return "the request target must be a path starting with '/' (this is a JSON API under /v1)";
    }
    if (path.indexOf('%') >= 0) {
      return "percent-encoded characters are not allowed in the path: every segment is a plain name";
    }
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.equals(".") || segment.equals("..")) {
        return "the path must not contain '.' or '..' segments";
      }
      if (segment.isEmpty() && i < segments.length - 1) {
        return "the path must not contain empty segments ('//')";
      }
    }
    if (query != null && !QUERY_ESCAPES.matcher(query).matches()) {
      return "the query string has a malformed percent escape";
    }
    return null;
  }

  private static RegistryException encodingRefusal(HttpServerRequest request) {
    String expect = request.getHeader(HttpHeaders.EXPECT);
    if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
      return new RegistryException(ErrorCode.EXPECTATION_FAILED, "only 'Expect: 100-continue' is supported");
    }
    List<String> transfer = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
    if (!transfer.isEmpty() && !(transfer.size() == 1 && transfer.get(0).trim().equalsIgnoreCase("chunked"))) {
      return new RegistryException(ErrorCode.INVALID_ARGUMENT,
          "Transfer-Encoding '" + String.join(", ", transfer) + "' is not supported: send the body as is or chunked");
    }
    String content = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    if (content != null && !content.trim().equalsIgnoreCase("identity")) {
      return new RegistryException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding '" + content + "' is not supported: send the JSON body uncompressed");
    }
    return null;
  }
}
