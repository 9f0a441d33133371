package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;
import static io.tether.registry.api.RegistryApi.ns;
import static io.tether.registry.api.RegistryApi.require;
import static io.tether.registry.api.RegistryApi.svc;

import io.tether.model.ErrorCode;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import io.tether.model.Versioned;
import io.tether.model.json.Json;
import io.tether.registry.store.DrainStore;
import io.tether.registry.store.RegistryStore;
import io.tether.registry.view.EndpointView;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code PUT|DELETE /v1/namespaces/{ns}/services/{svc}/endpoints/{id}/drain} (admin tokens): an
 * operator's drain of one endpoint, and its lifting (docs/operations.md, "Draining an endpoint"). Both
 * answer 200 with the endpoint as {@code GET} then shows it, read once the view holds the write.
 */
final class DrainRoutes {
  private static final String PATH = "/v1/namespaces/:ns/services/:svc/endpoints/:id/drain";

  /** The optional body: {@code {}} and nothing else (there is nothing to say yet). */
  record DrainRequest() {}

  private DrainRoutes() {}

  static void mount(RegistryApi api, RegistryService service, RegistryStore store) {
    DrainStore drains = store.drains();
    api.on(HttpMethod.PUT, PATH, ctx -> change(ctx, service, () -> drains.drain(ns(ctx), svc(ctx), id(ctx))));
    api.on(HttpMethod.DELETE, PATH, ctx -> change(ctx, service, () -> drains.undrain(ns(ctx), svc(ctx), id(ctx))));
  }

  private static void change(RoutingContext ctx, RegistryService service, Supplier<CompletableFuture<Long>> write) {
    require(ctx, caller(ctx).canConfigure());
    String ns = Names.requireLabel("namespace", ns(ctx));
    String svc = Names.requireLabel("service", svc(ctx));
    String id = Names.requireEndpointId("endpointId", id(ctx));
    byte[] body = body(ctx);
    if (body != null && body.length > 0) {
      Json.parse(body, DrainRequest.class);
    }
    async(ctx, () -> write.get().thenCompose(revision -> {
      service.noteWritten(revision);
      return service.read(s -> {
        Versioned<io.tether.model.Endpoint> v = s.endpoints(ns, svc).get(id);
        if (v == null) {
          throw new RegistryException(ErrorCode.NOT_FOUND, "endpoint '" + id + "' of '" + ns + "/" + svc + "' does not exist");
        }
        return ApiResponse.ok(EndpointView.of(s, ns, svc, id, v.value()), v.modRevision());
      });
    }));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("id");
  }
}
