package io.tether.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code --scenario validate} (benchmarks/README.md "ScaleBenchmark"): does the fleet time like the
 * clients it stands in for? Against one Tether {@link ScaleServer} per N, {@code --rounds} rounds of N fleet
 * streams, then N stock grpc-java xDS clients, then N real Envoys ({@link ValidationClients}), each kind
 * timed by the writes scenario's own server-side clock ({@link EdsAcks}: a write's start to each
 * stream's ACK of the EDS response carrying it), the kind before closed and gone from the server first.
 * Reported per figure: each kind's median round with its spread, and the median of the rounds' fleet /
 * grpc-java and fleet / Envoy ratios with theirs.
 */
final class FleetValidation {
  static final List<Integer> DEFAULT_COUNTS = List.of(10, 50);
  /** Untimed writes first: at 10 or 50 streams, 5 leave a fresh fleet JVM cold (1.8-1.9x an Envoy; 300: 1.08x). */
  static final int DEFAULT_WARMUP_WRITES = 300;
  private static final long SUBSCRIBE_MS = 120_000;

  /** One kind's run: write → ACK over every (client, write), and the last client's ACK per write, in ms. */
  record Figures(double p50Ms, double p99Ms, double lastMs, double lastMaxMs) {}

  private final ScaleArms arms;
  private final ScaleBenchmark options;
  private final ValidationClients clients;

  private FleetValidation(ScaleArms arms, ScaleBenchmark options, ValidationClients clients) {
    this.arms = arms;
    this.options = options;
    this.clients = clients;
  }

  /** Every count's rounds and report; 2 when there is no Envoy ({@code ENVOY_BIN}) to run. */
  static int run(ScaleArms arms, ScaleBenchmark options, List<Integer> counts) throws Exception {
    var envoy = Sidecar.binary("scale --scenario validate");
    if (envoy.isEmpty()) {
      return 2;
    }
    Path dir = Files.createTempDirectory("tether-scale-validate");
    Sidecar.Ads ads = options.delta ? Sidecar.Ads.DELTA : Sidecar.Ads.SOTW;
    FleetValidation v = new FleetValidation(arms, options, new ValidationClients(arms, envoy.get(), dir, ads));
    for (int n : counts) {
      v.report(n, v.rounds(n));
    }
    return 0;
  }

  private Map<String, List<Figures>> rounds(int n) throws Exception {
    Map<String, List<Figures>> byKind = new LinkedHashMap<>();
    ValidationClients.KINDS.forEach(kind -> byKind.put(kind, new ArrayList<>()));
    try (Child server = arms.server("tether", List.of())) {
      int port = Integer.parseInt(server.await("XDS "));
      for (int r = 0; r < options.rounds; r++) {
        for (String kind : ValidationClients.KINDS) {
          byKind.get(kind).add(run(server, port, kind, n, r));
        }
      }
    }
    return byKind;
  }

  private Figures run(Child server, int port, String kind, int n, int round) throws Exception {
    Figures f;
    try (AutoCloseable running = clients.start(kind, port, n, round)) {
      awaitSubscribed(server, n, kind);
      String result = server.ask("writes " + options.writes + " " + n + " " + options.warmupWrites(DEFAULT_WARMUP_WRITES), "");
      if (!result.startsWith("RESULT ")) {
        throw new IllegalStateException(kind + " with " + n + " clients: " + result);
      }
      Map<String, Long> r = ScaleArms.stats(result.substring("RESULT ".length()));
      f = new Figures(r.get("p50") / 1e3, r.get("p99") / 1e3, r.get("last50") / 1e3, r.get("lastmax") / 1e3);
    }
    awaitSubscribed(server, 0, kind + " (closed)");
    System.out.printf(Locale.ROOT, "  %-9s n=%-3d round %d: ACK p50 %7.2f p99 %7.2f, last ACK median %7.2f max %7.2f ms%n",
        kind, n, round + 1, f.p50Ms(), f.p99Ms(), f.lastMs(), f.lastMaxMs());
    return f;
  }

  /** Waits until exactly {@code n} streams of the server have ACKed EDS: the kind's all, no other's. */
  private static void awaitSubscribed(Child server, int n, String kind) throws Exception {
    int got = Integer.parseInt(server.ask("await-subscribed " + n + " " + SUBSCRIBE_MS, "SUBSCRIBED "));
    if (got != n) {
      throw new IllegalStateException(kind + ": " + got + " streams ACKed EDS, not " + n + ", within "
          + SUBSCRIBE_MS + " ms");
    }
  }

  private void report(int n, Map<String, List<Figures>> byKind) {
    System.out.printf(Locale.ROOT, "%nvalidate, n = %d, %s (%d rounds; median, min-max over rounds)%n%-28s", n,
        options.delta ? "delta" : "SotW", options.rounds, "");
    byKind.keySet().forEach(kind -> System.out.printf(Locale.ROOT, " %21s", kind));
    System.out.printf(Locale.ROOT, " %21s %21s%n", "fleet / grpc-java", "fleet / Envoy");
    row("write -> ACK p50, ms", byKind, Figures::p50Ms);
    row("write -> ACK p99, ms", byKind, Figures::p99Ms);
    row("last ACK (median), ms", byKind, Figures::lastMs);
    row("last ACK (max), ms", byKind, Figures::lastMaxMs);
    System.out.println();
  }

  private static void row(String what, Map<String, List<Figures>> byKind, ToDoubleFunction<Figures> metric) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-26s", what));
    byKind.values().forEach(runs -> line.append(spread(runs.stream().mapToDouble(metric).toArray(), "")));
    List<Figures> fleet = byKind.get("fleet");
    for (String real : List.of("grpc-java", "Envoy")) {
      List<Figures> other = byKind.get(real);
      double[] ratios = new double[fleet.size()];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = metric.applyAsDouble(fleet.get(i)) / metric.applyAsDouble(other.get(i));
      }
      line.append(spread(ratios, "x"));
    }
    System.out.println(line);
  }

  /** {@code median (min-max)} of {@code values}. */
  private static String spread(double[] values, String unit) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, " %21s", String.format(Locale.ROOT, "%.2f%s (%.2f-%.2f)",
        ArmReport.median(sorted), unit, sorted[0], sorted[sorted.length - 1]));
  }
}
