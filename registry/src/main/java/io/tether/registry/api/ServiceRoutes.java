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
 * The service routes of a namespace: list, get (as stored, or {@code ?effective=true}), put and delete
 * (README, "REST API"); writes need an admin token.
 */
final class ServiceRoutes {
  private ServiceRoutes() {}

  static void mount(RegistryApi api, RegistryService service) {
    String base = "/v1/namespaces/:ns/services";
    api.on(HttpMethod.GET, base, ctx -> {
      require(ctx, caller(ctx).canRead(ns(ctx)));
      async(ctx, () -> service.listServices(ns(ctx)));
    });
    api.on(HttpMethod.GET, base + "/:svc", ctx -> {
      require(ctx, caller(ctx).canRead(ns(ctx)));
      async(ctx, () -> service.getService(ns(ctx), svc(ctx), QueryFlags.flag(ctx, "effective")));
    });
    api.on(HttpMethod.PUT, base + "/:svc", ctx -> {
      require(ctx, caller(ctx).canConfigure());
      async(ctx, () -> service.putService(ns(ctx), svc(ctx), body(ctx), precondition(ctx)));
    });
    api.on(HttpMethod.DELETE, base + "/:svc", ctx -> {
      require(ctx, caller(ctx).canConfigure());
      async(ctx, () -> service.deleteService(ns(ctx), svc(ctx), precondition(ctx)));
    });
  }
}
