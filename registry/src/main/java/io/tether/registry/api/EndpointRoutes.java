package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;
import static io.tether.registry.api.RegistryApi.ns;
import static io.tether.registry.api.RegistryApi.precondition;
import static io.tether.registry.api.RegistryApi.require;
import static io.tether.registry.api.RegistryApi.svc;

import io.vertx.core.http.HttpMethod;

/**
 * The endpoint routes of a service: list, get, put, set health and delete (README, "REST API"). Agent
 * tokens may write in their namespaces, and must register under a lease; the batch put, drains and
 * leases have route groups of their own ({@link EndpointBatchRoutes}, {@link DrainRoutes}, {@link LeaseRoutes}).
 */
final class EndpointRoutes {
  private EndpointRoutes() {}

  static void mount(RegistryApi api, RegistryService service) {
    String base = "/v1/namespaces/:ns/services/:svc/endpoints";
    api.on(HttpMethod.GET, base, ctx -> {
      require(ctx, caller(ctx).canRead(ns(ctx)));
      async(ctx, () -> service.listEndpoints(ns(ctx), svc(ctx)));
    });
    api.on(HttpMethod.GET, base + "/:id", ctx -> {
      require(ctx, caller(ctx).canRead(ns(ctx)));
      async(ctx, () -> service.getEndpoint(ns(ctx), svc(ctx), ctx.pathParam("id")));
    });
    api.on(HttpMethod.PUT, base + "/:id", ctx -> {
      require(ctx, caller(ctx).canRegisterIn(ns(ctx)));
      boolean agent = !caller(ctx).canConfigure();
      async(ctx, () -> service.putEndpoint(ns(ctx), svc(ctx), ctx.pathParam("id"), body(ctx), precondition(ctx), agent));
    });
    api.on(HttpMethod.PUT, base + "/:id/health", ctx -> {
      require(ctx, caller(ctx).canRegisterIn(ns(ctx)));
      async(ctx, () -> service.setEndpointHealth(ns(ctx), svc(ctx), ctx.pathParam("id"), body(ctx), precondition(ctx)));
    });
    api.on(HttpMethod.DELETE, base + "/:id", ctx -> {
      require(ctx, caller(ctx).canRegisterIn(ns(ctx)));
      async(ctx, () -> service.deleteEndpoint(ns(ctx), svc(ctx), ctx.pathParam("id"), precondition(ctx)));
    });
  }
}
