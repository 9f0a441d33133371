package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;

import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** The lease routes: grant, keep alive and revoke (README, "REST API"). */
final class LeaseRoutes {
  private LeaseRoutes() {}

  static void mount(RegistryApi api, RegistryService service) {
    api.on(HttpMethod.POST, "/v1/leases", ctx -> async(ctx, () -> service.grantLease(body(ctx), caller(ctx)::canRegisterIn)));
    api.on(HttpMethod.POST, "/v1/leases/:id/keepalive", ctx ->
        async(ctx, () -> service.keepAlive(leaseId(ctx), caller(ctx)::canRegisterIn)));
    api.on(HttpMethod.DELETE, "/v1/leases/:id", ctx ->
        async(ctx, () -> service.revokeLease(leaseId(ctx), caller(ctx)::canRegisterIn)));
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
