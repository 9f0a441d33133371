package io.tether.registry.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;

/** Times every request by route template, method and status: {@code tether_http_requests_seconds}. */
final class ApiMetrics {
  static final String ROUTE = "tether.route";
  private final MeterRegistry meters;

  ApiMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(done -> {
      String route = ctx.get(ROUTE, "unmatched");
      Timer.builder("tether.http.requests").description("REST API requests")
          .tag("route", route)
          .tag("method", ctx.request().method().name())
          .tag("status", Integer.toString(ctx.response().getStatusCode()))
          .register(meters)
          .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    });
    ctx.next();
  }
}
