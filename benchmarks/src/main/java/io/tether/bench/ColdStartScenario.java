package io.tether.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S4, cold start (benchmarks/README.md "ScaleBenchmark"): N streams served, then the server killed
 * (SIGKILL) and a new one started on the same etcd data and the same ports, while every stream comes back
 * with Envoy's jittered exponential backoff ({@code fleet/Redial}). Figures, from the kill: the time until
 * every stream again has a full config, how many clients were ever sent a response that took all their
 * clusters or a cluster's endpoints, and whether the new server's {@code /readyz} went back to not ready
 * once it was ready ({@link ReadinessWatch}, until {@code --hold-seconds} after the last stream is served).
 */
final class ColdStartScenario implements ScaleScenario {
  private final int holdSeconds;

  ColdStartScenario(int holdSeconds) {
    this.holdSeconds = holdSeconds;
  }

  @Override
  public List<Integer> defaultCounts() {
    return List.of(5000);
  }

  @Override
  public Map<String, Double> run(ScaleArms arms, String arm, int n) throws Exception {
    String prefix = arms.newPrefix();
    List<String> ports = List.of("--xds-port", Integer.toString(Ports.free()), "--api-port",
        Integer.toString(Ports.free()));
    Child first = arms.server(arm, prefix, ports);
    int port = Integer.parseInt(first.await("XDS "));
    int apiPort = Integer.parseInt(ports.get(3));
    try (Child fleet = arms.fleet(arm, port, n)) {
      fleet.await("READY ");
      long killed = System.currentTimeMillis();
      first.kill();
      List<String> restart = new java.util.ArrayList<>(ports);
      restart.add("--seeded");
      try (ReadinessWatch readiness = ReadinessWatch.start(apiPort);
          Child second = arms.server(arm, prefix, restart)) {
        second.await("XDS ");
        long listening = System.currentTimeMillis();
        String[] all = fleet.ask("await-ready 120000", "ALLREADY ").split(" ", 2);
        long served = Long.parseLong(all[0]);
        if (served < 0) {
          throw new IllegalStateException(arm + ": not every stream was served again within 120 s: " + all[1]);
        }
        Thread.sleep(holdSeconds * 1000L); // readiness keeps being watched this long after: not a wait for an event
        Map<String, Long> stats = ScaleArms.stats(all[1]);
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("every stream served again, s", (served - killed) / 1e3);
        f.put("new server listening, s", (listening - killed) / 1e3);
        f.put("every stream served after it listened, s", (served - listening) / 1e3);
        f.put("/readyz 200, s", readiness.firstReadyWallMs() < 0 ? -1 : (readiness.firstReadyWallMs() - killed) / 1e3);
        f.put("clients ever sent an empty config", (double) stats.get("emptied"));
        f.put("readiness flaps (ready -> not ready)", (double) readiness.flaps());
        f.put("stream breaks (incl. failed retries)", (double) stats.get("failed"));
        ArmReport.line(arm, n, f);
        return f;
      }
    } finally {
      first.close();
    }
  }
}
