package io.tether.registry.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Times every request by route template, method and status: {@code tether_http_requests_seconds}. */
final class ApiMetrics {
  static final String ROUTE = "tether.route";
  private final MeterRegistry meters;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  ApiMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(done -> {
      timer(ctx.get(ROUTE, "unmatched"), ctx.request().method().name(), ctx.response().getStatusCode())
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    });
    ctx.next();
  }

  private Timer timer(String route, String method, int status) {
    return timers.computeIfAbsent(route + ' ' + method + ' ' + status, k -> Timer.builder("tether.http.requests")
        .description("REST API requests").tag("route", route).tag("method", method)
        .tag("status", Integer.toString(status)).register(meters));
  }
}
