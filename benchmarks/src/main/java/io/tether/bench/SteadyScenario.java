package io.tether.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S3, steady-state idle (benchmarks/README.md "ScaleBenchmark"): N streams connected and nothing changing.
 * After the fleet's first full config it waits for the server's CPU rate to settle, windows of
 * {@code --settle-window} seconds until one is no longer lower than the one before (by more than 10% or
 * 0.3 points of a core, the reading's noise), so that connect-time JIT compilation and GC are over; then
 * it measures {@code --steady-seconds} (at least 10) of idle CPU, and the heap after GC and RSS the streams
 * added. The same settle and window run before the fleet connects give the server's own idle CPU without
 * streams, the baseline of what the streams cost.
 */
final class SteadyScenario implements ScaleScenario {
  private static final int MAX_SETTLE_WINDOWS = 36;
  private final int windowSeconds;
  private final int steadySeconds;

  SteadyScenario(int windowSeconds, int steadySeconds) {
    this.windowSeconds = windowSeconds;
    this.steadySeconds = steadySeconds;
  }

  @Override
  public List<Integer> defaultCounts() {
    return List.of(1000, 5000, 10000, 20000);
  }

  @Override
  public Map<String, Double> run(ScaleArms arms, String arm, int n) throws Exception {
    try (Child server = arms.server(arm, List.of())) {
      int port = Integer.parseInt(server.await("XDS "));
      long heap0 = Long.parseLong(server.ask("heap", "HEAP "));
      long rss0 = server.rssBytes();
      settle(server);
      double idle0 = cpuPercent(server, steadySeconds);
      try (Child fleet = arms.fleet(arm, port, n)) {
        String[] ready = fleet.await("READY ").split(" ");
        double settled = settle(server);
        double idle = cpuPercent(server, steadySeconds);
        long heap1 = Long.parseLong(server.ask("heap", "HEAP "));
        long rss1 = server.rssBytes();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("first full config, s", Double.parseDouble(ready[0]) / 1e3);
        f.put("settled after, s", settled);
        f.put("idle CPU (steady), % of a core", idle);
        f.put("idle CPU before the fleet, % of a core", idle0);
        f.put("heap per stream (after GC), KB", (heap1 - heap0) / 1024.0 / n);
        f.put("RSS per stream, KB", (rss1 - rss0) / 1024.0 / n);
        ArmReport.line(arm, n, f);
        return f;
      }
    }
  }

  /** Waits until the server's CPU rate stops falling from one window to the next; the seconds it took. */
  private double settle(Child server) throws Exception {
    long start = System.nanoTime();
    double previous = cpuPercent(server, windowSeconds);
    for (int i = 1; i < MAX_SETTLE_WINDOWS; i++) {
      double rate = cpuPercent(server, windowSeconds);
      if (rate > previous - Math.max(0.1 * previous, 0.3)) {
        break;
      }
      previous = rate;
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The server's CPU over the next {@code seconds}, in % of one core. */
  private static double cpuPercent(Child server, int seconds) throws Exception {
    long before = server.cpuNanos();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L); // the window being measured, not a wait for an event
    return (server.cpuNanos() - before) / (double) (System.nanoTime() - start) * 100;
  }
}
