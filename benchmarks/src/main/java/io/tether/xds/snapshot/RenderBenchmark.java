package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Versioned;
import io.tether.registry.view.NamespaceEntry;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.ServiceEntry;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * Render cost, Tether against stock java-control-plane, in one process on the same registry states.
 * Tether's publisher keeps every service rendered and, for an endpoint change, re-renders one
 * ClusterLoadAssignment and applies it to the group's persistent snapshot. A SimpleCache has no such
 * path: every update is a whole new {@code Snapshot} fed to {@code setSnapshot}. Both arms start from
 * the same rendered resources (the renderer is shared); the baseline arm is what a control plane on
 * SimpleCache must do per update at best.
 *
 * <p>Run: {@code benchmarks/run render} (sizes 1,000 and 5,000 services × 10 endpoints).
 */
public final class RenderBenchmark {
  private static final int ENDPOINTS = 10;
  private static final String NS = "bench";

  public static void main(String[] args) {
    int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {1000, 5000};
    System.out.printf(Locale.ROOT, "render: services × %d endpoints, one Envoy group; %d CPUs%n", ENDPOINTS,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-9s %-44s %10s %10s%n", "services", "operation", "p50 ms", "p99 ms");
    for (int n : sizes) {
      run(n);
    }
  }

  private static void run(int services) {
    RegistryState state = mesh(services, 1);
    GroupKey group = new GroupKey(NS, ProxyKind.ENVOY, List.of(new ServedService("svc0", 15000, 8080)));
    SimpleCache<GroupKey> simple = new SimpleCache<>(node -> group);

    int fullRounds = services >= 5000 ? 8 : 20;
    Samples full = new Samples();
    Samples fullSimple = new Samples();
    GroupSnapshot snapshot = null;
    Parts rendered = null;
    for (int i = 0; i < fullRounds + 3; i++) {
      long t0 = System.nanoTime();
      rendered = renderAll(state, group);
      snapshot = assemble(rendered.all());
      long t1 = System.nanoTime();
      Parts again = renderAll(state, group);
      simple.setSnapshot(group, snapshotOf(again.all(), "v" + i));
      long t2 = System.nanoTime();
      if (i >= 3) {
        full.add(t1 - t0);
        fullSimple.add(t2 - t1);
      }
    }

    Samples incremental = new Samples();
    Samples incrementalSimple = new Samples();
    int rounds = services >= 5000 ? 300 : 1000;
    for (int i = 0; i < rounds + 200; i++) {
      String svc = "svc" + (i % services);
      RegistryState next = withEndpointMoved(state, svc, i + 2);
      long t0 = System.nanoTime();
      SnapshotDelta delta = new SnapshotDelta();
      delta.diff(RenderedService.NONE, ServiceRendering.assignment(next, NS, svc));
      snapshot = delta.applyTo(snapshot);
      snapshot.of(ResourceType.ENDPOINT).version();
      long t1 = System.nanoTime();
      rendered.assignments().set(i % services, ServiceRendering.assignment(next, NS, svc));
      simple.setSnapshot(group, snapshotOf(rendered.all(), "i" + i));
      long t2 = System.nanoTime();
      if (i >= 200) {
        incremental.add(t1 - t0);
        incrementalSimple.add(t2 - t1);
      }
      state = next;
    }
    full.print(services, "full render: Tether (render + group snapshot)");
    fullSimple.print(services, "full render: SimpleCache (render + Snapshot)");
    incremental.print(services, "endpoint change: Tether (1 CLA + delta)");
    incrementalSimple.print(services, "endpoint change: SimpleCache (new Snapshot)");
    System.out.printf(Locale.ROOT, "%-9d %-44s %10.1fx %9.1fx%n", services, "endpoint change: SimpleCache / Tether",
        incrementalSimple.pct(50) / incremental.pct(50), incrementalSimple.pct(99) / incremental.pct(99));
  }

  /** What the publisher keeps for one group: services (cluster, listeners, routes), assignments, ingress. */
  private record Parts(List<RenderedService> services, List<RenderedService> assignments, List<RenderedService> ingress) {
    List<RenderedService> all() {
      List<RenderedService> out = new ArrayList<>(services);
      out.addAll(assignments);
      out.addAll(ingress);
      return out;
    }
  }

  private static Parts renderAll(RegistryState state, GroupKey group) {
    List<String> names = state.services(NS).keySet().stream().sorted(RenderBenchmark::byIndex).toList();
    List<RenderedService> services = new ArrayList<>();
    List<RenderedService> assignments = new ArrayList<>();
    for (String svc : names) {
      services.add(ServiceRendering.service(state, NS, svc, ProxyKind.ENVOY));
      assignments.add(ServiceRendering.assignment(state, NS, svc));
    }
    List<RenderedService> ingress = new ArrayList<>();
    group.served().forEach(s -> ingress.add(ServiceRendering.ingress(state, NS, s)));
    return new Parts(services, assignments, ingress);
  }

  private static int byIndex(String a, String b) {
    return Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3)));
  }

  private static GroupSnapshot assemble(List<RenderedService> parts) {
    SnapshotDelta all = new SnapshotDelta();
    parts.forEach(r -> all.diff(RenderedService.NONE, r));
    return all.applyTo(GroupSnapshot.EMPTY);
  }

  private static Snapshot snapshotOf(List<RenderedService> parts, String version) {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> clas = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    for (RenderedService r : parts) {
      r.of(ResourceType.CLUSTER).values().forEach(v -> clusters.add((Cluster) v.resource()));
      r.of(ResourceType.ENDPOINT).values().forEach(v -> clas.add((ClusterLoadAssignment) v.resource()));
      r.of(ResourceType.LISTENER).values().forEach(v -> listeners.add((Listener) v.resource()));
      r.of(ResourceType.ROUTE).values().forEach(v -> routes.add((RouteConfiguration) v.resource()));
    }
    return Snapshot.create(clusters, clas, listeners, routes, List.of(), version);
  }

  /** A namespace of n services (http, grpc, tcp in turn), one alias and VIP each, 10 endpoints each. */
  static RegistryState mesh(int n, long revision) {
    PMap<String, ServiceEntry> services = HashTreePMap.empty();
    PMap<String, String> vips = HashTreePMap.empty();
    AppProtocol[] protocols = {AppProtocol.HTTP, AppProtocol.GRPC, AppProtocol.TCP};
    for (int i = 0; i < n; i++) {
      String svc = "svc" + i;
      ServiceSpec spec = new ServiceSpec(svc, "p", protocols[i % 3], List.of(new ClientAlias(svc, 8080)), null,
          ServicePolicy.EMPTY);
      PMap<String, Versioned<Endpoint>> eps = HashTreePMap.empty();
      for (int e = 0; e < ENDPOINTS; e++) {
        eps = eps.plus("t" + e, new Versioned<>(endpoint(i, e), revision));
      }
      services = services.plus(svc, new ServiceEntry(new Versioned<>(spec, revision), eps));
      vips = vips.plus(svc + ":8080", "127.255." + (i / 254) + "." + (i % 254 + 1));
    }
    NamespaceEntry ns = new NamespaceEntry(new Versioned<>(new Namespace(NS, null, null), revision), services, vips);
    return new RegistryState(revision, HashTreePMap.<String, NamespaceEntry>empty().plus(NS, ns));
  }

  private static Endpoint endpoint(int service, int e) {
    return new Endpoint("10." + (service / 250) + "." + (service % 250) + "." + (e + 1), 15000, "zone-" + (e % 2),
        Health.HEALTHY, null, null, null, null);
  }

  /** The state after one endpoint of a service moved to a new address (a new mod revision). */
  private static RegistryState withEndpointMoved(RegistryState s, String svc, long revision) {
    NamespaceEntry ns = s.namespaces().get(NS);
    ServiceEntry entry = ns.services().get(svc);
    Endpoint moved = new Endpoint("10.200." + (revision % 250) + "." + (revision % 200 + 1), 15000, "zone-0",
        Health.HEALTHY, null, null, null, null);
    ServiceEntry updated = new ServiceEntry(entry.spec(), entry.endpoints().plus("t0", new Versioned<>(moved, revision)));
    NamespaceEntry nsNext = new NamespaceEntry(ns.namespace(), ns.services().plus(svc, updated), ns.vips());
    return new RegistryState(revision, s.namespaces().plus(NS, nsNext));
  }

  static final class Samples {
    private final List<Long> nanos = new ArrayList<>();

    void add(long n) {
      nanos.add(n);
    }

    double pct(int p) {
      List<Long> sorted = nanos.stream().sorted().toList();
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    void print(int services, String what) {
      System.out.printf(Locale.ROOT, "%-9d %-44s %10.3f %10.3f%n", services, what, pct(50), pct(99));
    }
  }
}
