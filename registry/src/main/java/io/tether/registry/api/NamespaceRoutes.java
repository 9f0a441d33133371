package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;
import static io.tether.registry.api.RegistryApi.ns;
import static io.tether.registry.api.RegistryApi.precondition;
import static io.tether.registry.api.RegistryApi.require;

import io.vertx.core.http.HttpMethod;

/** The namespace routes: list, get, put and delete (README, "REST API"); writes need an admin token. */
final class NamespaceRoutes {
  private NamespaceRoutes() {}

  static void mount(RegistryApi api, RegistryService service) {
    api.on(HttpMethod.GET, "/v1/namespaces", ctx -> {
      require(ctx, caller(ctx).canRead(null));
      async(ctx, service::listNamespaces);
    });
    api.on(HttpMethod.GET, "/v1/namespaces/:ns", ctx -> {
      require(ctx, caller(ctx).canRead(ns(ctx)));
      async(ctx, () -> service.getNamespace(ns(ctx), QueryFlags.flag(ctx, "effective")));
    });
    api.on(HttpMethod.PUT, "/v1/namespaces/:ns", ctx -> {
      require(ctx, caller(ctx).canConfigure());
      async(ctx, () -> service.putNamespace(ns(ctx), body(ctx), precondition(ctx)));
    });
    api.on(HttpMethod.DELETE, "/v1/namespaces/:ns", ctx -> {
      require(ctx, caller(ctx).canConfigure());
      async(ctx, () -> service.deleteNamespace(ns(ctx), precondition(ctx)));
    });
  }
}
