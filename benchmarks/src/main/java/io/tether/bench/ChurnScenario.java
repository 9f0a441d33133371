package io.tether.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S5, churn (benchmarks/README.md "ScaleBenchmark"): {@code --rate} endpoint events a second for
 * {@code --seconds} seconds over the namespace's services ({@link Churn}) with N streams connected. Figures:
 * write → ACK p50 and p99 over every (write, stream) (server callbacks, {@link ServedState}), whether every
 * stream's last ACKed endpoints equal etcd's at the end and how long after the last write, and the EDS
 * responses each client got per second of churn (what coalescing saves).
 */
final class ChurnScenario implements ScaleScenario {
  private final int rate;
  private final int seconds;

  ChurnScenario(int rate, int seconds) {
    this.rate = rate;
    this.seconds = seconds;
  }

  @Override
  public List<Integer> defaultCounts() {
    return List.of(1000);
  }

  @Override
  public Map<String, Double> run(ScaleArms arms, String arm, int n) throws Exception {
    try (Child server = arms.server(arm, List.of())) {
      int port = Integer.parseInt(server.await("XDS "));
      try (Child fleet = arms.fleet(arm, port, n)) {
        fleet.await("READY ");
        Map<String, Long> before = ScaleArms.stats(fleet.ask("stats", "STATS "));
        Map<String, Long> r = ScaleArms.stats(server.ask("churn " + rate + " " + seconds + " " + n, "CHURN "));
        Map<String, Long> after = ScaleArms.stats(fleet.ask("stats", "STATS "));
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("events per second (achieved)", r.get("events") / (double) Math.max(1, r.get("seconds")));
        f.put("write -> ACK p50, ms", r.get("p50") / 1e3);
        f.put("write -> ACK p99, ms", r.get("p99") / 1e3);
        f.put("write -> ACK max, ms", r.get("max") / 1e3);
        f.put("(write, stream) pairs timed", (double) r.get("timed"));
        f.put("streams equal to etcd at the end", (double) r.get("matching"));
        f.put("last stream equal after last write, ms", (double) r.get("converge"));
        f.put("EDS pushes per client per second", (after.get("eds") - before.get("eds")) / (double) n / seconds);
        f.put("clients ever sent an empty config", (double) after.get("emptied"));
        f.put("write failures", (double) r.get("failures"));
        ArmReport.line(arm, n, f);
        return f;
      }
    }
  }
}
