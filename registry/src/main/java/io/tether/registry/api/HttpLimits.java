package io.tether.registry.api;

import com.google.common.base.Preconditions;
import java.time.Duration;

/**
 * What one client may hold of the REST API port, so that no client can keep a connection or a
 * buffer forever: a slow or stalled request is cut off, an idle keep-alive connection is closed, and
 * connections beyond the limit are refused at once.
 *
 * @param headerTimeout from a connection's opening to its first request's complete headers
 * @param bodyTimeout from a request's headers to its complete body
 * @param idleTimeout from a response to the next request's complete headers on a kept-alive connection
 * @param maxConnections open connections at once; one more is closed on accept
 * @param bodyLimit request body bytes; a larger body is answered 413
 * @param shutdownGrace on stop, how long in-flight requests may take before connections are closed
 */
public record HttpLimits(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
    int bodyLimit, Duration shutdownGrace) {
  public static final int DEFAULT_BODY_LIMIT = 64 * 1024;

  public HttpLimits {
    Preconditions.checkArgument(positive(headerTimeout) && positive(bodyTimeout) && positive(idleTimeout),
        "HTTP timeouts must be positive");
    Preconditions.checkArgument(maxConnections > 0 && bodyLimit > 0, "HTTP limits must be positive");
    Preconditions.checkArgument(!shutdownGrace.isNegative(), "the shutdown grace must not be negative");
  }

  public static HttpLimits defaults() {
    return new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), 4096,
        DEFAULT_BODY_LIMIT, Duration.ofSeconds(10));
  }

  public HttpLimits withBodyLimit(int limit) {
    return new HttpLimits(headerTimeout, bodyTimeout, idleTimeout, maxConnections, limit, shutdownGrace);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }
}
