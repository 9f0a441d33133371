package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;
import static io.tether.registry.api.RegistryApi.require;

import io.tether.model.ErrorCode;
import io.tether.model.Names;
import io.tether.registry.auth.Caller;
import io.tether.registry.store.LeaseStore;
import io.tether.registry.store.RegistryStore;
import java.util.concurrent.CompletableFuture;
import io.tether.model.RegistryException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** The lease routes: list, grant, keep alive and revoke (README, "REST API"; docs/operations.md, "Leases"). */
final class LeaseRoutes {
  private LeaseRoutes() {}

  static void mount(RegistryApi api, RegistryService registry, RegistryStore store) {
    LeaseStore leases = store.leases();
    LeaseService service = new LeaseService(registry, store);
    api.on(HttpMethod.GET, "/v1/leases", ctx -> async(ctx, () -> list(ctx, leases)));
    api.on(HttpMethod.POST, "/v1/leases", ctx -> async(ctx, () -> service.grant(body(ctx), caller(ctx)::canRegisterIn)));
    api.on(HttpMethod.POST, "/v1/leases/:id/keepalive", ctx ->
        async(ctx, () -> service.keepAlive(leaseId(ctx), caller(ctx)::canRegisterIn)));
    api.on(HttpMethod.DELETE, "/v1/leases/:id", ctx ->
        async(ctx, () -> service.revoke(leaseId(ctx), caller(ctx)::canRegisterIn)));
  }

  /** {@code GET /v1/leases[?namespace=NS]}: the live leases the caller may read (docs/operations.md, "Leases"). */
  private static CompletableFuture<ApiResponse> list(RoutingContext ctx, LeaseStore leases) {
    Caller caller = caller(ctx);
    String only = ctx.queryParams().get("namespace");
    if (only != null) {
      Names.requireLabel("namespace", only);
      require(ctx, caller.canRead(only));
    }
    return leases.list(ns -> (only == null || only.equals(ns)) && caller.canRead(ns))
        .thenApply(items -> ApiResponse.ok(java.util.Map.of("items", items)));
  }

  private static long leaseId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    try {
      if (id.matches("[0-9]{1,19}") && Long.parseLong(id) > 0) {
        return Long.parseLong(id);
      }
    } catch (NumberFormatException e) {
      // above int64: refused below
    }
    throw new RegistryException(ErrorCode.INVALID_ARGUMENT, "lease id must be a positive decimal int64", "leaseId");
  }
}
