package io.tether.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S6, lease-expiry storm (benchmarks/README.md "ScaleBenchmark"): {@code --leases} leases holding
 * {@code --per-lease} endpoints each, spread over the services, all revoked at once with N streams
 * connected ({@link LeaseStorm}); they are registered before the fleet connects, so that its first
 * config holds them (registering 2,000 endpoints one by one would be 2,000 pushes to every stream).
 * Figure: the time until every stream has ACKed endpoints without them, against etcd's own time to
 * answer the revokes, both from the first revoke of the same run.
 */
final class LeaseStormScenario implements ScaleScenario {
  private final int leases;
  private final int perLease;

  LeaseStormScenario(int leases, int perLease) {
    this.leases = leases;
    this.perLease = perLease;
  }

  @Override
  public List<Integer> defaultCounts() {
    return List.of(1000);
  }

  @Override
  public Map<String, Double> run(ScaleArms arms, String arm, int n) throws Exception {
    try (Child server = arms.server(arm, List.of())) {
      int port = Integer.parseInt(server.await("XDS "));
      server.ask("storm-seed " + leases + " " + perLease, "SEEDED ");
      try (Child fleet = arms.fleet(arm, port, n)) {
        fleet.await("READY ");
        Map<String, Long> seeded = ScaleArms.stats(server.ask("await-served " + n, "SERVED "));
        if (seeded.get("matching") < n) {
          throw new IllegalStateException(arm + ": only " + seeded.get("matching") + " of " + n
              + " streams were served the storm's endpoints before it");
        }
        Map<String, Long> r = ScaleArms.stats(server.ask("storm-revoke " + n, "STORM "));
        Map<String, Long> stats = ScaleArms.stats(fleet.ask("stats", "STATS "));
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("etcd revoke (all leases answered), ms", (double) r.get("revoke"));
        f.put("every client dropped them, ms", (double) r.get("dropped"));
        f.put("dropped - revoke, ms", (double) (r.get("dropped") - r.get("revoke")));
        f.put("streams that dropped them", (double) r.get("matching"));
        f.put("etcd holds the expected endpoints (1 = yes)", (double) r.get("etcd"));
        f.put("clients ever sent an empty config", (double) stats.get("emptied"));
        ArmReport.line(arm, n, f);
        return f;
      }
    }
  }
}
