package io.tether.registry.api;

import io.tether.registry.api.Representations.AliasView;
import io.tether.registry.api.Representations.EndpointItem;
import io.tether.registry.api.Representations.NamespaceSummary;
import io.tether.registry.api.Representations.Page;
import io.tether.registry.api.Representations.ServiceSummary;
import io.tether.model.json.Json;
import io.tether.model.Endpoint;
import io.tether.model.ErrorCode;
import io.tether.model.Health;
import io.tether.model.Names;
import io.tether.model.Namespace;
import io.tether.model.RegistryException;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Validation;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import io.tether.registry.store.Written;
import io.tether.registry.view.EndpointView;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.RegistryView;
import io.tether.registry.view.ServiceEntry;
import io.tether.model.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The registry's operations as the REST API offers them. Writes go to the store and answer as soon as
 * etcd has committed them. Reads are served from the view, once it has reached the newest revision this
 * server has written: a client reads its own writes, and in the common case (the view is already
 * there) a read costs no wait at all. Callers have already been authorised; arguments from the URL
 * are validated here.
 */
final class RegistryService {
  private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(2);

  private final RegistryStore store;
  private final RegistryView view;
  private final AtomicLong lastWritten = new AtomicLong();

  RegistryService(RegistryStore store, RegistryView view) {
    this.store = store;
    this.view = view;
  }

  // ---- namespaces ----

  CompletableFuture<ApiResponse> listNamespaces() {
    return read(s -> listNamespaces(s));
  }

  private static ApiResponse listNamespaces(RegistryState s) {
    List<NamespaceSummary> items = s.namespaces().entrySet().stream()
        .filter(e -> e.getValue().namespace() != null)
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new NamespaceSummary(e.getKey(), e.getValue().namespace().value().description(),
            (int) e.getValue().services().values().stream().filter(v -> v.spec() != null).count(),
            e.getValue().namespace().modRevision()))
        .toList();
    return ApiResponse.ok(new Page<>(s.revision(), items));
  }

  /** The namespace as stored; with {@code effective}, its tracing's defaults filled in. */
  CompletableFuture<ApiResponse> getNamespace(String ns, boolean effective) {
    Names.requireLabel("namespace", ns);
    return read(s -> {
      Versioned<Namespace> v = s.namespace(ns).orElseThrow(() -> notFound("namespace '" + ns + "'"));
      return ApiResponse.ok(effective ? v.value().effective() : v.value(), v.modRevision());
    });
  }

  CompletableFuture<ApiResponse> putNamespace(String ns, byte[] body, Precondition pre) {
    Namespace valid = Validation.namespace(ns, Json.parse(body, Namespace.class));
    return written(store.putNamespace(valid, pre), valid);
  }

  CompletableFuture<ApiResponse> deleteNamespace(String ns, Precondition pre) {
    return deleted(store.deleteNamespace(Names.requireLabel("namespace", ns), pre));
  }

  // ---- services ----

  CompletableFuture<ApiResponse> listServices(String ns) {
    Names.requireLabel("namespace", ns);
    return read(s -> {
      requireNamespace(s, ns);
      Map<String, String> vips = s.vips(ns);
      List<ServiceSummary> items = s.services(ns).entrySet().stream()
          .filter(e -> e.getValue().spec() != null)
          .sorted(Map.Entry.comparingByKey())
          .map(e -> summary(e.getValue(), vips))
          .toList();
      return ApiResponse.ok(new Page<>(s.revision(), items));
    });
  }

  /** The stored spec; with {@code effective}, every policy field (and each route's timeout and retry) filled from namespace and Service Connect defaults. */
  CompletableFuture<ApiResponse> getService(String ns, String svc, boolean effective) {
    Names.requireLabel("service", svc);
    return read(s -> {
      Versioned<ServiceSpec> v = s.service(requireNamespace(s, ns), svc)
          .orElseThrow(() -> notFound("service '" + ns + "/" + svc + "'"));
      if (effective) {
        return ApiResponse.ok(EffectiveService.of(s, ns, v.value(), s.namespace(ns).map(Versioned::value).orElse(null)),
            v.modRevision());
      }
      return ApiResponse.ok(v.value(), v.modRevision());
    });
  }

  CompletableFuture<ApiResponse> putService(String ns, String svc, byte[] body, Precondition pre) {
    Names.requireLabel("namespace", ns);
    ServiceSpec valid = Validation.service(ns, svc, Json.parse(body, ServiceSpec.class));
    return checked(s -> ImportRules.requireImportable(s, ns, valid))
        .thenCompose(ok -> written(store.putService(ns, valid, pre), valid));
  }

  CompletableFuture<ApiResponse> deleteService(String ns, String svc, Precondition pre) {
    return deleted(store.deleteService(
        Names.requireLabel("namespace", ns), Names.requireLabel("service", svc), pre));
  }

  // ---- endpoints ----

  CompletableFuture<ApiResponse> listEndpoints(String ns, String svc) {
    return read(s -> {
      s.service(requireNamespace(s, ns), svc).orElseThrow(() -> notFound("service '" + ns + "/" + svc + "'"));
      List<EndpointItem> items = s.endpoints(ns, svc).entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .map(e -> new EndpointItem(e.getKey(), e.getValue().value(), s.drained(ns, svc, e.getKey()) ? true : null,
              e.getValue().modRevision()))
          .toList();
      return ApiResponse.ok(new Page<>(s.revision(), items));
    });
  }

  CompletableFuture<ApiResponse> getEndpoint(String ns, String svc, String id) {
    return read(s -> {
      Versioned<Endpoint> v = s.endpoints(ns, svc).get(id);
      if (v == null) {
        throw notFound("endpoint '" + id + "' of '" + ns + "/" + svc + "'");
      }
      return ApiResponse.ok(EndpointView.of(s, ns, svc, id, v.value()), v.modRevision());
    });
  }

  CompletableFuture<ApiResponse> putEndpoint(String ns, String svc, String id, byte[] body,
      Precondition pre, boolean leaseRequired) {
    Names.requireLabel("namespace", ns);
    Names.requireLabel("service", svc);
    Names.requireEndpointId("endpointId", id);
    Endpoint valid = Validation.endpoint(Json.parse(body, Endpoint.class));
    if (leaseRequired && valid.leaseId() == null) {
      throw new RegistryException(ErrorCode.INVALID_ARGUMENT,
          "agents register endpoints under a lease: leaseId is required", "leaseId");
    }
    return checked(s -> ImportRules.requireNotImport(s, ns, svc, "endpointId"))
        .thenCompose(ok -> written(store.putEndpoint(ns, svc, id, valid, pre), valid));
  }

  CompletableFuture<ApiResponse> setEndpointHealth(String ns, String svc, String id, byte[] body, Precondition pre) {
    Representations.HealthUpdate update = Json.parse(body, Representations.HealthUpdate.class);
    Health health = update.health();
    if (health == null) {
      throw new RegistryException(ErrorCode.INVALID_ARGUMENT, "health is required", "health");
    }
    return store.setEndpointHealth(ns, svc, id, health, pre).thenApply(v -> {
      noteWritten(v.modRevision());
      return ApiResponse.ok(v.value(), v.modRevision());
    });
  }

  CompletableFuture<ApiResponse> deleteEndpoint(String ns, String svc, String id, Precondition pre) {
    return deleted(store.deleteEndpoint(ns, svc, id, pre));
  }

  // ---- helpers ----

  /**
   * Runs a check before a write against a state that includes every write this server has made
   * ({@link ImportRules}); fails as the check throws.
   */
  CompletableFuture<ApiResponse> checked(java.util.function.Consumer<RegistryState> check) {
    return read(s -> {
      check.accept(s);
      return ApiResponse.noContent();
    });
  }

  /** Runs a read against a state that includes every write this server has made. */
  CompletableFuture<ApiResponse> read(Function<RegistryState, ApiResponse> query) {
    long needed = lastWritten.get();
    RegistryState now = view.current();
    if (now.revision() >= needed) {
      return run(query, now);
    }
    return view.awaitRevision(needed, READ_YOUR_WRITES).handle((s, timeout) -> s != null ? s : view.current())
        .thenCompose(s -> run(query, s));
  }

  private static CompletableFuture<ApiResponse> run(Function<RegistryState, ApiResponse> query, RegistryState s) {
    try {
      if (s.revision() == 0) {
        throw new RegistryException(ErrorCode.UNAVAILABLE, "the registry has not loaded from etcd yet");
      }
      return CompletableFuture.completedFuture(query.apply(s));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<ApiResponse> written(CompletableFuture<Written> write, Object body) {
    return write.thenApply(w -> {
      noteWritten(w.revision());
      return new ApiResponse(w.created() ? 201 : 200, body, w.revision());
    });
  }

  private CompletableFuture<ApiResponse> deleted(CompletableFuture<Written> delete) {
    return delete.thenApply(w -> {
      noteWritten(w.revision());
      return ApiResponse.noContent();
    });
  }

  void noteWritten(long revision) {
    lastWritten.accumulateAndGet(revision, Math::max);
  }

  static String requireNamespace(RegistryState s, String ns) {
    Names.requireLabel("namespace", ns);
    s.namespace(ns).orElseThrow(() -> notFound("namespace '" + ns + "'"));
    return ns;
  }

  private static ServiceSummary summary(ServiceEntry entry, Map<String, String> vips) {
    ServiceSpec spec = entry.spec().value();
    List<AliasView> aliases = spec.clientAliases().stream()
        .map(a -> new AliasView(a.dnsName(), a.port(), vips.get(a.hostPort()))).toList();
    int healthy = (int) entry.endpoints().values().stream()
        .filter(e -> e.value().healthOrDefault() == Health.HEALTHY).count();
    return new ServiceSummary(spec.discoveryName(), spec.portName(), spec.protocol(), aliases,
        entry.endpoints().size(), healthy, entry.spec().modRevision(), spec.importFrom());
  }

  private static RegistryException notFound(String what) {
    return new RegistryException(ErrorCode.NOT_FOUND, what + " does not exist");
  }

}
