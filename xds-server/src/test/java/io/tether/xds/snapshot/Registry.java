package io.tether.xds.snapshot;

import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Health;
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
    PMap<String, Versioned<Endpoint>> endpoints = HashTreePMap.empty();
    for (String a : addresses) {
      endpoints = endpoints.plus(a, new Versioned<>(endpoint(a), rev));
    }
    ServiceSpec spec = new ServiceSpec(svc, "port", AppProtocol.HTTP, List.of(new ClientAlias(svc, 8080)), null,
        ServicePolicy.EMPTY);
    step(rev, ns, svc, new ServiceEntry(new Versioned<>(spec, rev), endpoints),
        Set.of(new RegistryChange.ServiceChanged(ns, svc), new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Replaces a service's endpoints (its spec unchanged) at the next revision. */
  void putEndpoints(String ns, String svc, String... addresses) {
    long rev = state.revision() + 1;
    ServiceEntry before = state.services(ns).get(svc);
    PMap<String, Versioned<Endpoint>> endpoints = HashTreePMap.empty();
    for (String a : addresses) {
      endpoints = endpoints.plus(a, new Versioned<>(endpoint(a), rev));
    }
    step(rev, ns, svc, new ServiceEntry(before.spec(), endpoints), Set.of(new RegistryChange.EndpointsChanged(ns, svc)));
  }

  void removeService(String ns, String svc) {
    step(state.revision() + 1, ns, svc, null, Set.of(new RegistryChange.ServiceChanged(ns, svc),
        new RegistryChange.EndpointsChanged(ns, svc)));
  }

  /** Allocates {@code ip} to the alias {@code hostPort} of namespace {@code ns} at the next revision. */
  void putVip(String ns, String hostPort, String ip) {
    long rev = state.revision() + 1;
    NamespaceEntry nsEntry = state.namespaces().get(ns);
    RegistryState before = state;
    state = new RegistryState(rev, before.namespaces().plus(ns,
        new NamespaceEntry(nsEntry.namespace(), nsEntry.services(), nsEntry.vips().plus(hostPort, ip))));
    RegistryUpdate u = new RegistryUpdate(before, state, Set.of(new RegistryChange.VipsChanged(ns)), false);
    listeners.forEach(l -> l.onUpdate(u));
  }

  /** Delivers an update that is older than the current state (a late event). */
  void replayStale(RegistryState old) {
    RegistryUpdate u = new RegistryUpdate(state, old, Set.of(new RegistryChange.NamespaceChanged("ns")), false);
    listeners.forEach(l -> l.onUpdate(u));
  }

  private void step(long rev, String ns, String svc, ServiceEntry entry, Set<RegistryChange> changes) {
    NamespaceEntry nsEntry = state.namespaces().getOrDefault(ns,
        new NamespaceEntry(null, HashTreePMap.empty(), HashTreePMap.empty()));
    PMap<String, ServiceEntry> services = entry == null ? nsEntry.services().minus(svc)
        : nsEntry.services().plus(svc, entry);
    RegistryState before = state;
    state = new RegistryState(rev, before.namespaces().plus(ns,
        new NamespaceEntry(nsEntry.namespace(), services, nsEntry.vips())));
    RegistryUpdate u = new RegistryUpdate(before, state, changes, false);
    listeners.forEach(l -> l.onUpdate(u));
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
