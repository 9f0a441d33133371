package io.tether.agent.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tether.model.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One REST request to the host agent: refused unless its source is allowed; {@code GET /tether/host}
 * answered here; {@code /v1/*} relayed to the control plane around the {@link RelayHook}; anything else
 * is 404. Every answer of the relay's own is in the API's JSON error format. Runs on the relay's
 * request threads, any number at once; it keeps no state of its own.
 */
final class RestHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(RestHandler.class);
  static final String HOST_INFO = "/tether/host";

  private final SourceFilter sources;
  private final Refusals refusals;
  private final Supplier<byte[]> hostInfo;
  private final RestForwarder forwarder;
  private final RelayHook hook;
  private final int maxBody;
  private final BooleanSupplier overloaded;

  /** @param overloaded whether this request is only to be told 503 (the relay's queue was full) */
  RestHandler(SourceFilter sources, Refusals refusals, Supplier<byte[]> hostInfo, RestForwarder forwarder,
      RelayHook hook, int maxBody, BooleanSupplier overloaded) {
    this.overloaded = overloaded;
    this.sources = sources;
    this.refusals = refusals;
    this.hostInfo = hostInfo;
    this.forwarder = forwarder;
    this.hook = hook;
    this.maxBody = maxBody;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      InetAddress source = exchange.getRemoteAddress().getAddress();
      if (!sources.allows(source)) {
        refusals.refused("REST relay", source, sources);
        error(exchange, ErrorCode.PERMISSION_DENIED, "the host agent answers only sources in its allowedSources; "
            + source.getHostAddress() + " is not one");
        return;
      }
      if (overloaded.getAsBoolean()) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        error(exchange, ErrorCode.UNAVAILABLE, "the host agent is busy: too many requests are waiting for the "
            + "control plane; retry");
        return;
      }
      route(exchange);
    } catch (RuntimeException e) {
      log.warn("REST relay: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
      error(exchange, ErrorCode.INTERNAL, "the host agent failed to relay the request: " + e.getMessage());
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    // Routed, matched by the hook and forwarded as it came: the raw path, never a decoded one, which
    // could differ from what the control plane sees. So a path that could name a route other than its
    // face (dot segments, an empty segment, an encoded dot or slash) is refused, not normalised.
    String path = exchange.getRequestURI().getRawPath();
    String unsafe = unsafe(path);
    if (unsafe != null) {
      error(exchange, ErrorCode.INVALID_ARGUMENT, "the host agent does not relay a path with " + unsafe + ": " + path);
      return;
    }
    if (path.equals(HOST_INFO)) {
      if (exchange.getRequestMethod().equals("GET")) {
        reply(exchange, 200, Map.of("Content-Type", "application/json"), hostInfo.get());
      } else {
        reply(exchange, 405, Map.of("Allow", "GET", "Content-Type", "application/json"),
            ApiErrorBody.of(ErrorCode.METHOD_NOT_ALLOWED, "only GET is allowed on " + HOST_INFO));
      }
    } else if (path.startsWith("/v1/")) {
      relay(exchange, path);
    } else {
      error(exchange, ErrorCode.NOT_FOUND, "no such route: " + path + " (the host agent serves " + HOST_INFO
          + " and relays /v1/* to the control plane)");
    }
  }

  private void relay(HttpExchange exchange, String path) throws IOException {
    byte[] body = boundedBody(exchange);
    if (body == null) {
      error(exchange, ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than " + maxBody + " bytes");
      return;
    }
    String query = exchange.getRequestURI().getRawQuery();
    RelayedRequest request = new RelayedRequest(exchange.getRequestMethod(), path,
        query == null ? path : path + "?" + query, body, relayedHeaders(exchange));
    hook.beforeForward(request);
    RestForwarder.Answer answer;
    try {
      answer = forwarder.forward(request);
    } catch (HttpTimeoutException e) {
      reply(exchange, 504, Map.of("Content-Type", "application/json"), ApiErrorBody.of(ErrorCode.UNAVAILABLE,
          "the control plane at " + forwarder.base() + " did not answer in time"));
      return;
    } catch (IOException e) {
      reply(exchange, 502, Map.of("Content-Type", "application/json"), ApiErrorBody.of(ErrorCode.UNAVAILABLE,
          unreachable(e)));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(exchange, ErrorCode.UNAVAILABLE, "the host agent is stopping");
      return;
    }
    hook.afterForward(request, answer.status());
    reply(exchange, answer.status(), answer.headers(), answer.body());
  }

  /**
   * Why the control plane could not be reached; a failed TLS handshake (most often a certificate of a
   * private CA the host does not trust) says what to set, since the task agent that reads it cannot.
   */
  private String unreachable(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return "the TLS handshake with the control plane at " + forwarder.base() + " failed (" + t.getMessage()
            + "): if its certificate is signed by a private CA, set serverCa in the host agent's config to that CA";
      }
    }
    return "the control plane at " + forwarder.base() + " is unreachable: " + e;
  }

  /** What makes a raw path one the relay refuses, or null when it is fine. */
  static String unsafe(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return "no leading /";
    }
    if (rawPath.contains("//")) {
      return "an empty segment (//)";
    }
    String lower = rawPath.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || rawPath.contains("\\")) {
      return "an encoded dot or slash, or a backslash";
    }
    for (String segment : rawPath.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return "a dot segment (. or ..)";
      }
    }
    return null;
  }

  /** The body, or null when it is larger than allowed (then it is not read further). */
  private byte[] boundedBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 12
        && Long.parseLong(declared) > maxBody) {
      return null;
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxBody + 1);
      return body.length > maxBody ? null : body;
    }
  }

  private static Map<String, String> relayedHeaders(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : RestForwarder.REQUEST_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    return headers;
  }

  private static void error(HttpExchange exchange, ErrorCode code, String message) throws IOException {
    reply(exchange, code.httpStatus(), Map.of("Content-Type", "application/json"), ApiErrorBody.of(code, message));
  }

  private static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
    exchange.sendResponseHeaders(status, empty ? -1 : body.length);
    if (!empty) {
      exchange.getResponseBody().write(body);
    }
  }
}
