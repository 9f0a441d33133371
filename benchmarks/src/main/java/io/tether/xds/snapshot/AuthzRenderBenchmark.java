package io.tether.xds.snapshot;

import io.tether.model.Authorization;
import io.tether.model.AuthorizationAction;
import io.tether.model.HttpMatch;
import io.tether.model.Namespace;
import io.tether.model.Versioned;
import io.tether.registry.view.NamespaceEntry;
import io.tether.registry.view.RegistryState;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.ServedService;
import java.util.List;
import java.util.Locale;

/**
 * What authorization rules cost the publisher (docs/security.md "Authorization"): the ingress of one
 * http callee with 0 and with N rules (half DENY, half with path and method matches) under a DENY
 * default, in a namespace of 1,000 services; and one rule change as the publisher applies it: the
 * callee's ingress re-rendered and the delta applied to its group's snapshot.
 *
 * <p>Run: {@code benchmarks/run authz [RULES]} (default 100).
 */
public final class AuthzRenderBenchmark {
  private static final String NS = "bench";
  private static final ServedService CALLEE = new ServedService("svc0", 15000, 8080);
  private static final int ROUNDS = 20_000;
  private static final int WARMUP = 5_000;

  public static void main(String[] args) {
    int rules = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    System.out.printf(Locale.ROOT, "authz render: the ingress of one http callee, 1000 services; %d CPUs%n",
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-9s %-44s %10s %10s%n", "rules", "operation", "p50 ms", "p99 ms");
    for (int n : new int[] {0, rules}) {
      RegistryState state = withRules(denyDefault(RenderBenchmark.mesh(1000, 1)), n);
      ingress(state).print(n, "ingress render (listener + local cluster)");
      change(state, n).print(n, "a rule changed: ingress + snapshot delta");
    }
  }

  private static RenderBenchmark.Samples ingress(RegistryState state) {
    RenderBenchmark.Samples samples = new RenderBenchmark.Samples();
    for (int i = 0; i < ROUNDS + WARMUP; i++) {
      long t0 = System.nanoTime();
      ServiceRendering.ingress(state, NS, CALLEE).of(io.envoyproxy.controlplane.cache.Resources.ResourceType.LISTENER);
      long t1 = System.nanoTime();
      if (i >= WARMUP) {
        samples.add(t1 - t0);
      }
    }
    return samples;
  }

  /** One rule rewritten per round (a new revision), then re-rendered and applied as the publisher does. */
  private static RenderBenchmark.Samples change(RegistryState state, int rules) {
    RenderBenchmark.Samples samples = new RenderBenchmark.Samples();
    RenderedService before = ServiceRendering.ingress(state, NS, CALLEE);
    SnapshotDelta first = new SnapshotDelta();
    first.diff(RenderedService.NONE, before);
    GroupSnapshot snapshot = first.applyTo(GroupSnapshot.EMPTY);
    for (int i = 0; i < ROUNDS / 4 + WARMUP / 4; i++) {
      long revision = state.revision() + 1;
      RegistryState next = put(state, rule("changed", i), revision);
      long t0 = System.nanoTime();
      RenderedService after = ServiceRendering.ingress(next, NS, CALLEE);
      SnapshotDelta delta = new SnapshotDelta();
      delta.diff(before, after);
      snapshot = delta.applyTo(snapshot);
      long t1 = System.nanoTime();
      if (i >= WARMUP / 4) {
        samples.add(t1 - t0);
      }
      before = after;
      state = next;
    }
    return samples;
  }

  private static RegistryState denyDefault(RegistryState state) {
    NamespaceEntry ns = state.namespaces().get(NS);
    Namespace deny = new Namespace(NS, null, io.tether.model.ServicePolicy.EMPTY.withAuthorization(
        new io.tether.model.AuthorizationPolicy(AuthorizationAction.DENY)));
    NamespaceEntry next = new NamespaceEntry(new Versioned<>(deny, state.revision()), ns.services(), ns.vips());
    return new RegistryState(state.revision(), state.namespaces().plus(NS, next));
  }

  private static RegistryState withRules(RegistryState state, int n) {
    for (int i = 0; i < n; i++) {
      state = put(state, rule("r" + i, i), state.revision() + 1);
    }
    return state;
  }

  private static Authorization rule(String name, int i) {
    List<HttpMatch> http = i % 2 == 0 ? null
        : List.of(new HttpMatch(List.of("/api/v" + i, "/items/" + i + "/*"), List.of("GET", "POST")));
    return new Authorization(name, "caller" + i, "svc0", i % 4 == 1 ? AuthorizationAction.DENY : null, http);
  }

  private static RegistryState put(RegistryState state, Authorization rule, long revision) {
    NamespaceEntry ns = state.namespaces().get(NS).withAuthorization(rule.name(), new Versioned<>(rule, revision));
    return new RegistryState(revision, state.namespaces().plus(NS, ns));
  }
}
