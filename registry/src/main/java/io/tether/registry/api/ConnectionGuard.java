package io.tether.registry.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what a connection to the API port may hold: its first request's headers must be complete
 * within {@link HttpLimits#headerTimeout()} of the accept, the next one's within
 * {@link HttpLimits#idleTimeout()} of the previous response (so neither a half-sent request line nor
 * an idle keep-alive connection stays open), and no more than {@link HttpLimits#maxConnections()} are
 * open at once. The body's own deadline is kept by {@link RequestBodyReader}.
 *
 * <p>Thread-safety: a connection's timer is armed and cancelled on that connection's event loop; the
 * count of open connections is shared.
 */
final class ConnectionGuard {
  private final Vertx vertx;
  private final HttpLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();
  private final Counter refused;
  private final Counter timedOut;

  ConnectionGuard(Vertx vertx, HttpLimits limits, MeterRegistry meters) {
    this.vertx = vertx;
    this.limits = limits;
    this.refused = Counter.builder("tether.http.connections.refused")
        .description("API connections closed on accept: over the connection limit").register(meters);
    this.timedOut = Counter.builder("tether.http.connections.timed.out")
        .description("API connections closed because a request's headers did not arrive in time").register(meters);
    io.micrometer.core.instrument.Gauge.builder("tether.http.connections.open", open, AtomicInteger::get)
        .description("open API connections").register(meters);
  }

  void accepted(HttpConnection connection) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refused.increment();
      connection.close();
      return;
    }
    connection.closeHandler(v -> {
      open.decrementAndGet();
      cancel(connection);
    });
    arm(connection, limits.headerTimeout().toMillis());
  }

  /** A request's headers have arrived: the connection is busy, not stalled. */
  void requestStarted(HttpConnection connection) {
    cancel(connection);
  }

  /** A response has ended: the connection may now idle until the next request, for a while. */
  void responseEnded(HttpConnection connection) {
    arm(connection, limits.idleTimeout().toMillis());
  }

  int openConnections() {
    return open.get();
  }

  private void arm(HttpConnection connection, long millis) {
    cancel(connection);
    long id = vertx.setTimer(millis, t -> {
      if (timers.remove(connection, t)) {
        timedOut.increment();
        connection.close();
      }
    });
    timers.put(connection, id);
  }

  private void cancel(HttpConnection connection) {
    Long id = timers.remove(connection);
    if (id != null) {
      vertx.cancelTimer(id);
    }
  }
}
