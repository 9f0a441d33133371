package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;
import static io.tether.registry.api.RegistryApi.ns;
import static io.tether.registry.api.RegistryApi.precondition;
import static io.tether.registry.api.RegistryApi.require;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tether.model.AppProtocol;
import io.tether.model.Authorization;
import io.tether.model.AuthorizationValidation;
import io.tether.model.ErrorCode;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.model.Versioned;
import io.tether.model.json.Json;
import io.tether.registry.api.Representations.Page;
import io.tether.registry.store.AuthorizationStore;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import io.tether.registry.view.RegistryState;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/namespaces/{ns}/authorizations[/{name}]} (docs/security.md "Authorization"): admins write
 * rules, readers of the namespace read them. A rule is validated on the raw body, and its {@code http}
 * matches against the callee's protocol as the view knows it, before anything reaches etcd.
 */
final class AuthorizationRoutes {
  private static final String BASE = "/v1/namespaces/:ns/authorizations";

  /** One rule of a list, with its revision (the ETag its GET answers). */
  record AuthorizationItem(@JsonUnwrapped Authorization rule, long modRevision) {}

  private AuthorizationRoutes() {}

  static void mount(RegistryApi api, RegistryService service, RegistryStore store) {
    AuthorizationStore rules = store.authorizations();
    api.on(HttpMethod.GET, BASE, ctx -> {
      require(ctx, caller(ctx).canRead(ns(ctx)));
      String ns = Names.requireLabel("namespace", ns(ctx));
      async(ctx, () -> service.read(s -> list(s, ns)));
    });
    api.on(HttpMethod.GET, BASE + "/:name", ctx -> {
      require(ctx, caller(ctx).canRead(ns(ctx)));
      String ns = Names.requireLabel("namespace", ns(ctx));
      String name = Names.requireLabel("name", name(ctx));
      async(ctx, () -> service.read(s -> get(s, ns, name)));
    });
    api.on(HttpMethod.PUT, BASE + "/:name", ctx -> {
      require(ctx, caller(ctx).canConfigure());
      String ns = Names.requireLabel("namespace", ns(ctx));
      Authorization parsed = AuthorizationValidation.rule(name(ctx), Json.parse(body(ctx), Authorization.class), null);
      Precondition pre = precondition(ctx);
      async(ctx, () -> service.read(s -> ApiResponse.ok(calleeProtocol(s, ns, parsed.to()))).thenCompose(known -> {
        // Checked again now that the callee's protocol is known: http matches need an http callee.
        Authorization valid = AuthorizationValidation.rule(parsed.name(), parsed, (AppProtocol) known.body());
        return rules.put(ns, valid, pre).thenApply(w -> {
          service.noteWritten(w.revision());
          return new ApiResponse(w.created() ? 201 : 200, valid, w.revision());
        });
      }));
    });
    api.on(HttpMethod.DELETE, BASE + "/:name", ctx -> {
      require(ctx, caller(ctx).canConfigure());
      String ns = Names.requireLabel("namespace", ns(ctx));
      String name = Names.requireLabel("name", name(ctx));
      Precondition pre = precondition(ctx);
      async(ctx, () -> rules.delete(ns, name, pre).thenApply(w -> {
        service.noteWritten(w.revision());
        return ApiResponse.noContent();
      }));
    });
  }

  private static ApiResponse list(RegistryState s, String ns) {
    requireNamespace(s, ns);
    List<AuthorizationItem> items = s.authorizations(ns).byName().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new AuthorizationItem(e.getValue().value(), e.getValue().modRevision()))
        .toList();
    return ApiResponse.ok(new Page<>(s.revision(), items));
  }

  private static ApiResponse get(RegistryState s, String ns, String name) {
    requireNamespace(s, ns);
    Versioned<Authorization> v = s.authorization(ns, name).orElseThrow(() ->
        new RegistryException(ErrorCode.NOT_FOUND, "authorization '" + ns + "/" + name + "' does not exist"));
    return ApiResponse.ok(v.value(), v.modRevision());
  }

  /** The protocol of the callee as the view knows it, or null when there is no such service (yet). */
  /**
   * The protocol of the rule's callee, when it exists (null: not yet); an import is refused (409), since it
   * has no ingress of its own: calls through it are the exporter's to authorize (README "Exports and imports").
   */
  private static AppProtocol calleeProtocol(RegistryState s, String ns, String to) {
    requireNamespace(s, ns);
    ServiceSpec callee = s.service(ns, to).map(Versioned::value).orElse(null);
    if (callee != null && callee.importFrom() != null) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + to + "' imports "
          + callee.importFrom().describe() + ": an import has no ingress of its own; write the rule in "
          + callee.importFrom().namespace() + ", from '" + ns + "/<service>'", "to");
    }
    return callee == null ? null : callee.protocol();
  }

  private static void requireNamespace(RegistryState s, String ns) {
    if (s.namespace(ns).isEmpty()) {
      throw new RegistryException(ErrorCode.NOT_FOUND, "namespace '" + ns + "' does not exist");
    }
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("name");
  }
}
