package io.tether.xds.snapshot;

import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Versioned;
import io.tether.registry.view.NamespaceEntry;
import io.tether.registry.view.RegistryChange;
import io.tether.registry.view.RegistryListener;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.RegistryUpdate;
import io.tether.registry.view.RegistryView;
import io.tether.registry.view.ServiceEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * A registry view the test moves by hand: each step is a new state at the next revision, delivered to
 * listeners as a {@link RegistryUpdate} with the changes the test names.
 */
final class Registry implements RegistryView {
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private volatile RegistryState state = RegistryState.EMPTY;

  @Override
  public RegistryState current() {
    return state;
  }

  @Override
  public boolean isReady() {
    return state.revision() > 0;
  }

  @Override
  public void addListener(RegistryListener listener) {
    listeners.add(listener);
  }

  @Override
  public CompletableFuture<RegistryState> awaitRevision(long revision, Duration timeout) {
    throw new UnsupportedOperationException();
  }

  /** Puts a service (spec and endpoints, as addresses) at the next revision. */
  void putService(String ns, String svc, String... addresses) {
    long rev = state.revision() + 1;
    step(rev, ns, e -> withService(e, svc, new ServiceEntry(new Versioned<>(spec(svc), rev), endpoints(rev, addresses))),
        Set.of(new RegistryChange.ServiceChanged(ns, svc), new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Writes a service's spec again, unchanged but at the next revision; its endpoints are untouched. */
  void rewriteSpec(String ns, String svc) {
    long rev = state.revision() + 1;
    ServiceEntry before = state.services(ns).get(svc);
    step(rev, ns, e -> withService(e, svc, new ServiceEntry(new Versioned<>(spec(svc), rev), before.endpoints())),
        Set.of(new RegistryChange.ServiceChanged(ns, svc)));
  }

  /** Writes a service's spec as given at the next revision; its endpoints (none for a new one) are untouched. */
  void putSpec(String ns, ServiceSpec spec) {
    long rev = state.revision() + 1;
    ServiceEntry before = state.services(ns).get(spec.discoveryName());
    step(rev, ns, e -> withService(e, spec.discoveryName(), new ServiceEntry(new Versioned<>(spec, rev),
        before == null ? HashTreePMap.empty() : before.endpoints())),
        Set.of(new RegistryChange.ServiceChanged(ns, spec.discoveryName())));
  }

  /** An HTTP service with one client alias, {@code svc:8080}, and the default policy. */
  static ServiceSpec httpSpec(String svc) {
    return spec(svc);
  }

  /** Replaces a service's endpoints (its spec unchanged) at the next revision. */
  void putEndpoints(String ns, String svc, String... addresses) {
    long rev = state.revision() + 1;
    ServiceEntry before = state.services(ns).get(svc);
    step(rev, ns, e -> withService(e, svc, new ServiceEntry(before.spec(), endpoints(rev, addresses))),
        Set.of(new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Puts one endpoint of a service, with {@code labels}, at the next revision; the others keep theirs. */
  void putEndpoint(String ns, String svc, String address, Map<String, String> labels) {
    long rev = state.revision() + 1;
    ServiceEntry before = state.services(ns).get(svc);
    Endpoint e = new Endpoint(address, 8080, "z1", Health.HEALTHY, "task", "host", Map.of(), null, labels);
    step(rev, ns, n -> withService(n, svc, new ServiceEntry(before.spec(),
        before.endpoints().plus(address, new Versioned<>(e, rev)))), Set.of(new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Replaces a service's endpoints with {@code fronted} ones an agent's Envoy fronts and {@code direct} ones. */
  void putEndpoints(String ns, String svc, List<String> fronted, List<String> direct) {
    long rev = state.revision() + 1;
    ServiceEntry before = state.services(ns).get(svc);
    var endpoints = endpoints(rev, direct.toArray(String[]::new));
    for (String a : fronted) {
      endpoints = endpoints.plus(a, new Versioned<>(new Endpoint(a, 15000, "z1", Health.HEALTHY, "task", "host",
          Map.of(Endpoint.TLS_KEY, Endpoint.TLS_MESH), null), rev));
    }
    var next = endpoints;
    step(rev, ns, e -> withService(e, svc, new ServiceEntry(before.spec(), next)),
        Set.of(new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Replaces a service's endpoints with these, by address, each in its zone (null: none). */
  void putZonedEndpoints(String ns, String svc, Map<String, String> zoneByAddress) {
    long rev = state.revision() + 1;
    ServiceEntry before = state.services(ns).get(svc);
    PMap<String, Versioned<Endpoint>> endpoints = HashTreePMap.empty();
    for (Map.Entry<String, String> e : zoneByAddress.entrySet()) {
      endpoints = endpoints.plus(e.getKey(), new Versioned<>(new Endpoint(e.getKey(), 8080, e.getValue(),
          Health.HEALTHY, "task", "host", Map.of(), null), rev));
    }
    var next = endpoints;
    step(rev, ns, e -> withService(e, svc, new ServiceEntry(before.spec(), next)),
        Set.of(new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Writes the namespace with {@code defaults} every service inherits at the next revision. */
  void putNamespaceDefaults(String ns, ServicePolicy defaults) {
    long rev = state.revision() + 1;
    step(rev, ns, e -> new NamespaceEntry(new Versioned<>(new Namespace(ns, "written at " + rev, defaults), rev),
        e.services(), e.vips()), Set.of(new RegistryChange.NamespaceChanged(ns)));
  }

  void removeService(String ns, String svc) {
    step(state.revision() + 1, ns, e -> withService(e, svc, null), Set.of(new RegistryChange.ServiceChanged(ns, svc),
        new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Allocates (or, with a null ip, frees) the VIP of an alias {@code dnsName:port}. */
  void putVip(String ns, String hostPort, String ip) {
    step(state.revision() + 1, ns, e -> new NamespaceEntry(e.namespace(), e.services(),
        ip == null ? e.vips().minus(hostPort) : e.vips().plus(hostPort, ip)), Set.of(new RegistryChange.VipsChanged(ns)));
  }

  /** Writes the namespace itself (its defaults every service inherits) at the next revision. */
  void putNamespace(String ns) {
    long rev = state.revision() + 1;
    step(rev, ns, e -> new NamespaceEntry(new Versioned<>(new Namespace(ns, "written at " + rev, ServicePolicy.EMPTY),
        rev), e.services(), e.vips()), Set.of(new RegistryChange.NamespaceChanged(ns)));
  }

  /** Writes the namespace with {@code tracing} (null: none) at the next revision. */
  void putNamespace(String ns, io.tether.model.Tracing tracing) {
    long rev = state.revision() + 1;
    step(rev, ns, e -> new NamespaceEntry(new Versioned<>(new Namespace(ns, "written at " + rev, ServicePolicy.EMPTY,
        tracing), rev), e.services(), e.vips()), Set.of(new RegistryChange.NamespaceChanged(ns)));
  }

  /** Puts ({@code rule != null}) or deletes an authorization rule at the next revision. */
  void putAuthorization(String ns, String name, io.tether.model.Authorization rule) {
    long rev = state.revision() + 1;
    var was = state.authorization(ns, name).orElse(null);
    Set<String> callees = new java.util.HashSet<>();
    if (was != null) {
      callees.add(was.value().to());
    }
    if (rule != null) {
      callees.add(rule.to());
    }
    step(rev, ns, e -> e.withAuthorization(name, rule == null ? null : new Versioned<>(rule, rev)),
        Set.of(new RegistryChange.AuthorizationChanged(ns, name, callees)));
  }

  /** Delivers an update from the current state to an older one (a late event); the view stays where it is. */
  void replayStale(RegistryState old, RegistryChange... changes) {
    RegistryUpdate u = new RegistryUpdate(state, old, Set.of(changes), false);
    listeners.forEach(l -> l.onUpdate(u));
  }

  /** Re-lists the registry at an older state (etcd restored from a backup): a resync. */
  void restore(RegistryState old, RegistryChange... changes) {
    RegistryUpdate u = new RegistryUpdate(state, old, Set.of(changes), true);
    state = old;
    listeners.forEach(l -> l.onUpdate(u));
  }

  private void step(long rev, String ns, UnaryOperator<NamespaceEntry> change, Set<RegistryChange> changes) {
    NamespaceEntry nsEntry = state.namespaces().getOrDefault(ns,
        new NamespaceEntry(null, HashTreePMap.empty(), HashTreePMap.empty()));
    RegistryState before = state;
    state = new RegistryState(rev, before.namespaces().plus(ns, change.apply(nsEntry)));
    RegistryUpdate u = new RegistryUpdate(before, state, changes, false);
    listeners.forEach(l -> l.onUpdate(u));
  }

  private static NamespaceEntry withService(NamespaceEntry e, String svc, ServiceEntry entry) {
    return new NamespaceEntry(e.namespace(), entry == null ? e.services().minus(svc) : e.services().plus(svc, entry),
        e.vips(), e.authorizations());
  }

  /** An HTTP service with one client alias, {@code svc:8080}. */
  private static ServiceSpec spec(String svc) {
    return new ServiceSpec(svc, "port", AppProtocol.HTTP, List.of(new ClientAlias(svc, 8080)), null,
        ServicePolicy.EMPTY);
  }

  private static PMap<String, Versioned<Endpoint>> endpoints(long rev, String... addresses) {
    PMap<String, Versioned<Endpoint>> endpoints = HashTreePMap.empty();
    for (String a : addresses) {
      endpoints = endpoints.plus(a, new Versioned<>(endpoint(a), rev));
    }
    return endpoints;
  }

  /** Makes the current state the view's without telling listeners (a load the publisher reads at start). */
  void load(Map<String, String[]> services) {
    List<RegistryListener> saved = List.copyOf(listeners);
    listeners.clear();
    services.forEach((svc, addresses) -> putService("ns", svc, addresses));
    listeners.addAll(saved);
  }

  private static Endpoint endpoint(String address) {
    return new Endpoint(address, 8080, "z1", Health.HEALTHY, "task", "host", Map.of(), null);
  }
}
