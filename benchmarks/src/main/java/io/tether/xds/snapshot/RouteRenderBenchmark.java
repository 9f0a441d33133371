package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.model.ServiceSpec;
import io.tether.model.Validation;
import io.tether.model.Versioned;
import io.tether.model.json.Json;
import io.tether.registry.view.NamespaceEntry;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.ServiceEntry;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import io.tether.xds.render.TrustDomain;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What route rules cost the publisher (README "Routes"): a namespace of 1,000 services × 10 endpoints
 * with no rules (the baseline arm) against the same namespace where {@value #ROUTED} http services carry
 * {@code RULES / ROUTED} rules each (path prefixes, exact paths, regexes, headers and query parameters;
 * every other rule a 50/50 split). Both arms run through the publisher's own {@link RenderedMesh}, for
 * one Envoy group and one proxyless group:
 *
 * <ul>
 *   <li>a group's first snapshot (every service rendered);
 *   <li>an endpoint change of a routed service, and a spec change of a service without rules: what must
 *       stay flat, since neither touches a rule;
 *   <li>a routed service's weights changed: that one service re-rendered with its rules.
 * </ul>
 *
 * <p>Run: {@code ./tether bench routes [RULES]} (default 1000). After a discarded warm-up round, the arms
 * alternate, so drift on a shared machine hits both.
 */
public final class RouteRenderBenchmark {
  private static final String NS = "bench";
  private static final int SERVICES = 1000;
  private static final int ROUTED = 10;
  private static final int ROUNDS = 3;
  private static final GroupKey ENVOY = new GroupKey(NS, ProxyKind.ENVOY, List.of(new ServedService("svc0", 15000, 8080)));
  private static final GroupKey GRPC = new GroupKey(NS, ProxyKind.GRPC, List.of());

  public static void main(String[] args) {
    int rules = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    System.out.printf(Locale.ROOT, "route render: %d services × 10 endpoints, %d rules on %d services; %d CPUs%n",
        SERVICES, rules, ROUTED, Runtime.getRuntime().availableProcessors());
    RegistryState none = RenderBenchmark.mesh(SERVICES, 1);
    RegistryState routed = withRules(none, rules / ROUTED, 0);
    // A discarded round of both arms first: the JIT's warm-up would otherwise land on whichever runs first.
    new Arm("warm-up", none).measure(rules / ROUTED);
    new Arm("warm-up", routed).measure(rules / ROUTED);
    Arm base = new Arm("no rules", none);
    Arm withRules = new Arm(rules + " rules", routed);
    for (int round = 0; round < ROUNDS; round++) {
      base.measure(rules / ROUTED);
      withRules.measure(rules / ROUTED);
    }
    System.out.printf(Locale.ROOT, "%-12s %-46s %10s %10s %8s%n", "arm", "operation", "p50 ms", "p99 ms", "p50 ×");
    for (String op : Arm.OPERATIONS) {
      base.print(op, base);
      withRules.print(op, base);
    }
    System.out.printf(Locale.ROOT, "%-12s %-46s %,10d bytes (Envoy) %,10d bytes (proxyless)%n", "no rules",
        "first snapshot", snapshotBytes(none, ENVOY), snapshotBytes(none, GRPC));
    System.out.printf(Locale.ROOT, "%-12s %-46s %,10d bytes (Envoy) %,10d bytes (proxyless)%n", rules + " rules",
        "first snapshot", snapshotBytes(routed, ENVOY), snapshotBytes(routed, GRPC));
  }

  /** One arm's state and its samples per operation, over every round. */
  private static final class Arm {
    static final List<String> OPERATIONS = List.of("first snapshot, Envoy group",
        "first snapshot, proxyless group", "endpoint change of a routed service",
        "spec change of a service without rules", "weights changed on a routed service");
    private final String name;
    private final RegistryState initial;
    private final Map<String, RenderBenchmark.Samples> samples = new java.util.HashMap<>();

    Arm(String name, RegistryState initial) {
      this.name = name;
      this.initial = initial;
      OPERATIONS.forEach(op -> samples.put(op, new RenderBenchmark.Samples()));
    }

    void measure(int rulesPerService) {
      first(OPERATIONS.get(0), ENVOY);
      first(OPERATIONS.get(1), GRPC);
      boolean routed = initial.service(NS, "svc0").orElseThrow().value().routes().size() > 0;
      changes(OPERATIONS.get(2), 2000, (state, i) -> withEndpointMoved(state, routedService(i)),
          i -> endpointsOf(routedService(i)));
      changes(OPERATIONS.get(3), 2000, (state, i) -> withSpecRewritten(state, "svc" + (1 + 3 * (i % 300))),
          i -> specOf("svc" + (1 + 3 * (i % 300))));
      // The baseline arm rewrites the same service's spec unchanged: the cost of its re-render without rules.
      changes(OPERATIONS.get(4), 400, (state, i) -> routed ? withRulesOn(state, routedService(i), rulesPerService, i + 1)
          : withSpecRewritten(state, routedService(i)), i -> specOf(routedService(i)));
    }

    private void first(String op, GroupKey group) {
      for (int i = 0; i < 23; i++) {
        long t0 = System.nanoTime();
        new RenderedMesh(TrustDomain.DEFAULT).first(initial, group).applyTo(GroupSnapshot.EMPTY);
        long t1 = System.nanoTime();
        if (i >= 3) {
          samples.get(op).add(t1 - t0);
        }
      }
    }

    /** {@code n} updates made by {@code next}, each re-rendered for both groups and applied to their snapshots. */
    private void changes(String op, int n, StateStep next, IntFunction<NamespaceChanges> changesOf) {
      RenderedMesh mesh = new RenderedMesh(TrustDomain.DEFAULT);
      GroupSnapshot envoy = mesh.first(initial, ENVOY).applyTo(GroupSnapshot.EMPTY);
      GroupSnapshot grpc = mesh.first(initial, GRPC).applyTo(GroupSnapshot.EMPTY);
      RegistryState state = initial;
      int warmup = n / 5;
      for (int i = 0; i < n + warmup; i++) {
        state = next.apply(state, i);
        long t0 = System.nanoTime();
        Map<GroupKey, List<SnapshotDelta>> deltas = mesh.rerender(state, NS, changesOf.apply(i));
        envoy = applyAll(envoy, deltas.get(ENVOY));
        grpc = applyAll(grpc, deltas.get(GRPC));
        long t1 = System.nanoTime();
        if (i >= warmup) {
          samples.get(op).add(t1 - t0);
        }
      }
    }

    void print(String op, Arm baseline) {
      RenderBenchmark.Samples s = samples.get(op);
      System.out.printf(Locale.ROOT, "%-12s %-46s %10.3f %10.3f %7.2fx%n", name, op, s.pct(50), s.pct(99),
          s.pct(50) / baseline.samples.get(op).pct(50));
    }
  }

  @FunctionalInterface
  private interface StateStep {
    RegistryState apply(RegistryState state, int i);
  }

  private static GroupSnapshot applyAll(GroupSnapshot snapshot, List<SnapshotDelta> deltas) {
    GroupSnapshot out = snapshot;
    for (SnapshotDelta d : deltas) {
      if (d != null) {
        out = d.applyTo(out);
      }
    }
    return out;
  }

  /** The routed services are the first {@value #ROUTED} http ones: svc0, svc3, svc6, … */
  private static String routedService(int i) {
    return "svc" + 3 * (i % ROUTED);
  }

  /**
   * The state with every routed service given {@code perService} rules; {@code variant} moves the split
   * weights (variant 0: 50/50), so a new variant is a weight change and nothing else.
   */
  private static RegistryState withRules(RegistryState state, int perService, int variant) {
    RegistryState out = state;
    for (int s = 0; s < ROUTED; s++) {
      out = withRulesOn(out, routedService(s), perService, variant);
    }
    return out;
  }

  private static RegistryState withRulesOn(RegistryState state, String svc, int perService, int variant) {
    String json = specJson(svc, RouteRules.json(Integer.parseInt(svc.substring(3)) / 3, perService, ROUTED, 50 + variant % 50));
    // Validated as the registry's edge would: the benchmark renders only what an operator could write.
    return withSpec(state, svc, Validation.service(svc, Json.parse(json.getBytes(StandardCharsets.UTF_8), ServiceSpec.class)));
  }

  private static String specJson(String svc, String routes) {
    return "{\"discoveryName\": \"" + svc + "\", \"portName\": \"p\", \"appProtocol\": \"http\","
        + " \"clientAliases\": [{\"dnsName\": \"" + svc + "\", \"port\": 8080}], \"routes\": " + routes + "}";
  }

  private static RegistryState withSpecRewritten(RegistryState state, String svc) {
    return withSpec(state, svc, state.service(NS, svc).orElseThrow().value());
  }

  private static RegistryState withSpec(RegistryState s, String svc, ServiceSpec spec) {
    long revision = s.revision() + 1;
    NamespaceEntry ns = s.namespaces().get(NS);
    ServiceEntry entry = ns.services().get(svc);
    ServiceEntry updated = new ServiceEntry(new Versioned<>(spec, revision), entry.endpoints());
    return new RegistryState(revision, s.namespaces().plus(NS, new NamespaceEntry(ns.namespace(),
        ns.services().plus(svc, updated), ns.vips(), ns.authorizations())));
  }

  private static RegistryState withEndpointMoved(RegistryState s, String svc) {
    long revision = s.revision() + 1;
    NamespaceEntry ns = s.namespaces().get(NS);
    ServiceEntry entry = ns.services().get(svc);
    var moved = entry.endpoints().get("t0").value().withHealth(
        revision % 2 == 0 ? io.tether.model.Health.HEALTHY : io.tether.model.Health.UNHEALTHY);
    ServiceEntry updated = new ServiceEntry(entry.spec(), entry.endpoints().plus("t0", new Versioned<>(moved, revision)));
    return new RegistryState(revision, s.namespaces().plus(NS, new NamespaceEntry(ns.namespace(),
        ns.services().plus(svc, updated), ns.vips(), ns.authorizations())));
  }

  private static NamespaceChanges endpointsOf(String svc) {
    NamespaceChanges c = new NamespaceChanges();
    c.endpoints.add(svc);
    return c;
  }

  private static NamespaceChanges specOf(String svc) {
    NamespaceChanges c = new NamespaceChanges();
    c.specs.add(svc);
    return c;
  }

  /** The serialized size of every resource of a group's first snapshot. */
  private static long snapshotBytes(RegistryState state, GroupKey group) {
    GroupSnapshot snapshot = new RenderedMesh(TrustDomain.DEFAULT).first(state, group).applyTo(GroupSnapshot.EMPTY);
    long bytes = 0;
    for (ResourceType type : ResourceType.values()) {
      for (var r : snapshot.of(type).resources().values()) {
        bytes += r.resource().getSerializedSize();
      }
    }
    return bytes;
  }
}
