package io.tether.bench;

import io.tether.registry.etcd.LocalEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scale on this machine (benchmarks/README.md "ScaleBenchmark"): N active ADS streams of an {@link AdsFleet}
 * against a {@link ScaleServer}, Tether's own xDS serving against a stock {@code SimpleCache} fed the same
 * snapshots, interleaved (Tether, stock, then stock, Tether, … for {@code --pairs} pairs), each run a fresh
 * server and fleet process. Per run: the fleet's time to its first full config, write → EDS ACK over every
 * (stream, write), the last ACK per write, the server's CPU per client-update, bytes per client-update,
 * heap and RSS per stream, and idle CPU. Reported per N as each arm's median run and the median of the
 * pairs' Tether / stock ratios with their spread. {@code --scenario} runs another of the scenarios
 * instead, interleaved the same way: {@link SteadyScenario} (S3), {@link ColdStartScenario} (S4),
 * {@link ChurnScenario} (S5), {@link LeaseStormScenario} (S6); or {@link FleetValidation}, the fleet's timings
 * against grpc-java clients' and real Envoys' at small N.
 */
@Command(name = "scale-benchmark", mixinStandardHelpOptions = true)
public final class ScaleBenchmark implements Callable<Integer> {
  /** The writes scenario's untimed writes per run, unless {@code --warmup-writes}. */
  private static final int WARMUP_WRITES = 5;
  static final List<String> SCENARIOS = List.of("writes", "steady", "cold-start", "churn", "lease-storm",
      "validate");

  @Option(names = "--scenario", description = "writes (default), steady, cold-start, churn, lease-storm or "
      + "validate")
  String scenario = "writes";

  @Option(names = "--streams", split = ",", description = "stream counts (default: the scenario's; writes "
      + "100,1000,5000,10000, steady 1000,5000,10000,20000, cold-start 5000, churn and lease-storm 1000, validate 10,50)")
  List<Integer> counts;

  @Option(names = "--pairs", description = "interleaved Tether/stock pairs per count (default ${DEFAULT-VALUE})")
  int pairs = 5;

  @Option(names = "--rounds", description = "validate: rounds of fleet, grpc-java, Envoy per count "
      + "(default ${DEFAULT-VALUE})")
  int rounds = 3;

  @Option(names = "--writes", description = "timed endpoint writes per run (default ${DEFAULT-VALUE})")
  int writes = 10;

  @Option(names = "--warmup-writes", description = "untimed writes before the timed ones, per run (default 5; "
      + "validate " + FleetValidation.DEFAULT_WARMUP_WRITES + ": at small N a fresh fleet JVM is still cold after 5)")
  Integer warmupWrites;

  @Option(names = "--delta", description = "delta ADS (the agent's default) instead of state-of-the-world")
  boolean delta;

  @Option(names = "--per-connection", description = "streams per HTTP/2 connection (default ${DEFAULT-VALUE})")
  int perConnection = 1;

  @Option(names = "--services", description = "http services in the namespace (default ${DEFAULT-VALUE})")
  int services = 50;

  @Option(names = "--idle-seconds", description = "idle CPU window (default ${DEFAULT-VALUE})")
  int idleSeconds = 5;

  @Option(names = "--server-jvm-flag", description = "a flag for the server JVMs, e.g. -XX:StartFlightRecording=... "
      + "(repeatable)")
  List<String> serverFlags = new ArrayList<>();

  @Option(names = "--node-on-every-request", description = "the Tether arm's fleet sends the node on every request "
      + "too, as the stock arm's must (SimpleCache groups each request by its node); by default it sends it on the "
      + "first only, as the agent's Envoy bootstraps do")
  boolean nodeOnEveryRequest;

  @Option(names = "--profile-writes", description = "a directory: each server records its timed writes with JFR "
      + "(profile settings) into <arm>-<streams>-<run>.jfr there")
  Path profileDir;

  @Option(names = "--only", description = "run one arm only (tether or stock), for profiling: no ratios")
  String only;

  @Option(names = "--settle-window", description = "steady: seconds per CPU window while settling "
      + "(default ${DEFAULT-VALUE})")
  int settleWindow = 5;

  @Option(names = "--steady-seconds", description = "steady: the idle CPU window once settled, at least 10 "
      + "(default ${DEFAULT-VALUE})")
  int steadySeconds = 10;

  @Option(names = "--hold-seconds", description = "cold-start: readiness is watched this long after every stream "
      + "is served (default ${DEFAULT-VALUE})")
  int holdSeconds = 5;

  @Option(names = "--rate", description = "churn: endpoint events per second (default ${DEFAULT-VALUE})")
  int rate = 200;

  @Option(names = "--seconds", description = "churn: seconds of churn (default ${DEFAULT-VALUE})")
  int seconds = 60;

  @Option(names = "--leases", description = "lease-storm: leases revoked at once (default ${DEFAULT-VALUE})")
  int leases = 200;

  @Option(names = "--per-lease", description = "lease-storm: endpoints per lease (default ${DEFAULT-VALUE})")
  int perLease = 10;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private LocalEtcd etcd;
  private ScaleArms arms;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleBenchmark()).execute(args));
  }

  /** One run's figures. */
  record Figures(double readyMs, double p50Ms, double p99Ms, double lastMs, double lastMaxMs, double cpuUsPerUpdate,
      double bytesPerUpdate, double heapKbPerStream, double rssKbPerStream, double idleCpuPercent) {}

  /** {@code --warmup-writes}, or the scenario's default. */
  int warmupWrites(int scenarioDefault) {
    return warmupWrites != null ? warmupWrites : scenarioDefault;
  }

  @Override
  public Integer call() throws Exception {
    ScaleScenario other = scenario();
    boolean validate = scenario.equals("validate");
    if (counts == null) {
      counts = validate ? FleetValidation.DEFAULT_COUNTS
          : other == null ? List.of(100, 1000, 5000, 10000) : other.defaultCounts();
    }
    Path dir = Files.createTempDirectory("tether-scale-bench");
    etcd = LocalEtcd.single(dir, Ports.free(), Ports.free()).start().awaitHealthy(Duration.ofSeconds(30));
    arms = new ScaleArms(etcd, this);
    try {
      System.out.printf(Locale.ROOT, "scale %s: %s ADS, %d http services, %d streams per connection, %s, "
          + "%d CPUs%n", scenario, delta ? "delta" : "SotW", services, perConnection,
          validate ? rounds + " rounds" : pairs + " pairs", Runtime.getRuntime().availableProcessors());
      if (validate) {
        return FleetValidation.run(arms, this, counts);
      }
      if (other != null) {
        runScenario(other);
        return 0;
      }
      for (int n : counts) {
        List<Figures> tether = new ArrayList<>();
        List<Figures> stock = new ArrayList<>();
        if (only != null) {
          for (int p = 0; p < pairs; p++) {
            run(only, n);
          }
          continue;
        }
        for (int p = 0; p < pairs; p++) {
          boolean tetherFirst = p % 2 == 0;
          Figures first = run(tetherFirst ? "tether" : "stock", n);
          Figures second = run(tetherFirst ? "stock" : "tether", n);
          tether.add(tetherFirst ? first : second);
          stock.add(tetherFirst ? second : first);
        }
        report(n, tether, stock);
      }
    } finally {
      etcd.close();
    }
    return 0;
  }

  /** The scenario other than writes that {@code --scenario} names (null: writes); a usage error for a bad value. */
  private ScaleScenario scenario() {
    if (!SCENARIOS.contains(scenario)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--scenario: '" + scenario + "' is none of "
          + String.join(", ", SCENARIOS));
    }
    if (steadySeconds < 10) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--steady-seconds: at least 10, not "
          + steadySeconds);
    }
    if (only != null && !List.of("tether", "stock").contains(only)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--only: tether or stock, not '" + only + "'");
    }
    return switch (scenario) {
      case "steady" -> new SteadyScenario(settleWindow, steadySeconds);
      case "cold-start" -> new ColdStartScenario(holdSeconds);
      case "churn" -> new ChurnScenario(rate, seconds);
      case "lease-storm" -> new LeaseStormScenario(leases, perLease);
      default -> null;
    };
  }

  /** Each count's interleaved pairs of {@code s} (or {@code --only}'s arm), then its report. */
  private void runScenario(ScaleScenario s) throws Exception {
    for (int n : counts) {
      List<Map<String, Double>> tether = new ArrayList<>();
      List<Map<String, Double>> stock = new ArrayList<>();
      for (int p = 0; p < pairs; p++) {
        if (only != null) {
          s.run(arms, only, n);
          continue;
        }
        boolean tetherFirst = p % 2 == 0;
        Map<String, Double> first = s.run(arms, tetherFirst ? "tether" : "stock", n);
        Map<String, Double> second = s.run(arms, tetherFirst ? "stock" : "tether", n);
        tether.add(tetherFirst ? first : second);
        stock.add(tetherFirst ? second : first);
      }
      if (only == null) {
        ArmReport.print(scenario + ", n = " + n, tether, stock);
      }
    }
  }

  private Figures run(String arm, int n) throws Exception {
    try (Child server = arms.server(arm, List.of())) {
      int port = Integer.parseInt(server.await("XDS "));
      long heap0 = Long.parseLong(server.ask("heap", "HEAP "));
      long rss0 = server.rssBytes();
      try (Child fleet = arms.fleet(arm, port, n)) {
        String[] ready = fleet.await("READY ").split(" ");
        long heap1 = Long.parseLong(server.ask("heap", "HEAP "));
        long rss1 = server.rssBytes();
        long idle0 = server.cpuNanos();
        Thread.sleep(idleSeconds * 1000L); // the idle window being measured, not a wait for an event
        double idlePercent = (server.cpuNanos() - idle0) / (idleSeconds * 1e9) * 100;
        Map<String, Long> before = stats(fleet.ask("stats", "STATS "));
        String result = server.ask("writes " + writes + " " + n + " " + warmupWrites(WARMUP_WRITES), "");
        if (!result.startsWith("RESULT ")) {
          throw new IllegalStateException(arm + " with " + n + " streams: " + result);
        }
        Map<String, Long> after = stats(fleet.ask("stats", "STATS "));
        Map<String, Long> r = stats(result.substring("RESULT ".length()));
        long updates = (long) (writes + warmupWrites(WARMUP_WRITES)) * n;
        Figures f = new Figures(Double.parseDouble(ready[0]), r.get("p50") / 1e3, r.get("p99") / 1e3,
            r.get("last50") / 1e3, r.get("lastmax") / 1e3, r.get("cpu") / (double) ((long) writes * n),
            (after.get("bytes") - before.get("bytes")) / (double) updates, (heap1 - heap0) / 1024.0 / n,
            (rss1 - rss0) / 1024.0 / n, idlePercent);
        System.out.printf(Locale.ROOT, "  %-6s n=%-6d ready %6.0f ms, ACK p50 %7.2f p99 %7.2f last %7.2f ms, "
            + "%6.1f µs/update, %6.0f B/update, heap %5.1f KB, RSS %5.1f KB per stream, idle %4.1f%%%n", arm, n,
            f.readyMs(), f.p50Ms(), f.p99Ms(), f.lastMs(), f.cpuUsPerUpdate(), f.bytesPerUpdate(), f.heapKbPerStream(),
            f.rssKbPerStream(), f.idleCpuPercent());
        return f;
      }
    }
  }

  private static Map<String, Long> stats(String line) {
    return ScaleArms.stats(line);
  }

  private void report(int n, List<Figures> tether, List<Figures> stock) {
    System.out.printf(Locale.ROOT, "%nn = %d (%d pairs)%-22s %12s %12s %26s%n", n, tether.size(), "", "Tether", "stock",
        "Tether / stock (min-max)");
    row("first full config, ms", tether, stock, Figures::readyMs);
    row("write -> ACK p50, ms", tether, stock, Figures::p50Ms);
    row("write -> ACK p99, ms", tether, stock, Figures::p99Ms);
    row("write -> last ACK (median), ms", tether, stock, Figures::lastMs);
    row("write -> last ACK (max), ms", tether, stock, Figures::lastMaxMs);
    row("server CPU per client-update, µs", tether, stock, Figures::cpuUsPerUpdate);
    row("bytes per client-update", tether, stock, Figures::bytesPerUpdate);
    row("server heap per stream, KB", tether, stock, Figures::heapKbPerStream);
    row("server RSS per stream, KB", tether, stock, Figures::rssKbPerStream);
    row("server idle CPU, % of a core", tether, stock, Figures::idleCpuPercent);
    System.out.println();
  }

  private static void row(String what, List<Figures> tether, List<Figures> stock, ToDoubleFunction<Figures> metric) {
    double[] ratios = new double[tether.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = metric.applyAsDouble(tether.get(i)) / metric.applyAsDouble(stock.get(i));
    }
    Arrays.sort(ratios);
    System.out.printf(Locale.ROOT, "  %-36s %12.2f %12.2f %10.2fx (%.2f-%.2f)%n", what, median(tether, metric),
        median(stock, metric), median(ratios), ratios[0], ratios[ratios.length - 1]);
  }

  private static double median(List<Figures> runs, ToDoubleFunction<Figures> metric) {
    return median(runs.stream().mapToDouble(metric).sorted().toArray());
  }

  private static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
}
