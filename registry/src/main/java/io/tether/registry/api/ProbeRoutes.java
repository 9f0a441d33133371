package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.write;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tether.registry.view.EtcdRegistryView;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routes without a token, for probes and scrapers: {@code /healthz} (the process answers),
 * {@code /readyz} (the view is ready, with its revision and lag; 503 with the reason when not) and
 * {@code /metrics} (Prometheus text).
 */
final class ProbeRoutes {
  private ProbeRoutes() {}

  static void mount(RegistryApi api, EtcdRegistryView view, PrometheusMeterRegistry meters) {
    api.on(HttpMethod.GET, "/healthz", ctx -> write(ctx, ApiResponse.ok(Map.of("status", "ok"))));
    api.on(HttpMethod.GET, "/readyz", ctx -> {
      Map<String, Object> body = new LinkedHashMap<>();
      EtcdRegistryView.Readiness readiness = view.readiness();
      body.put("ready", readiness.ready());
      if (!readiness.ready()) {
        body.put("reason", readiness.reason());
      }
      body.put("revision", view.current().revision());
      body.put("revisionLag", view.revisionLag());
      write(ctx, new ApiResponse(readiness.ready() ? 200 : 503, body, null));
    });
    api.on(HttpMethod.GET, "/metrics", ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(meters.scrape()));
  }
}
