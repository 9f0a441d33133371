package io.tether.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What mutual TLS between two sidecars costs a caller: the same load through the same caller Envoy to
 * two callees that differ only in {@code tls.mode}, STRICT (mutual TLS) and DISABLED (plaintext),
 * interleaved A, B, A, B… in one run, so that the machine's load moves both arms alike. Two workloads:
 * keep-alive (encryption only, the connections stay up) and one upstream connection per request (a
 * full TLS handshake each time: the callees of that workload run with {@link KeepAliveOff}). The
 * table's "conns/req" and "TLS/req", from the caller's cluster stats, show what really happened.
 */
final class HandshakeCost {
  private final Callees mesh;
  private final Sidecar caller;
  private final Load load;
  private final int requests;
  private final int pairs;

  HandshakeCost(Callees mesh, Sidecar caller, int concurrency, int requests, int pairs) {
    this.mesh = mesh;
    this.caller = caller;
    this.load = new Load(concurrency);
    this.requests = requests;
    this.pairs = pairs;
  }

  void run() throws Exception {
    mesh.callee("strict", "STRICT", "ALLOW");
    mesh.callee("plain", "DISABLED", "ALLOW");
    mesh.callee("strict-new", "STRICT", "ALLOW", KeepAliveOff.in(mesh.dir(), "strict-new"));
    mesh.callee("plain-new", "DISABLED", "ALLOW", KeepAliveOff.in(mesh.dir(), "plain-new"));
    System.out.printf(Locale.ROOT, "%-14s %-22s %19s %19s %19s %9s %8s%n", "workload", "arm", "req/s",
        "p50 ms", "p99 ms", "conns/req", "TLS/req");
    try (load) {
      workload("keep-alive", "strict", "plain");
      workload("new conn/req", "strict-new", "plain-new");
    }
  }

  private void workload(String name, String strictService, String plainService) throws Exception {
    Arm strict = new Arm(strictService);
    Arm plain = new Arm(plainService);
    strict.measure(requests / 4); // warm-up of both arms: JIT, connections, Envoy's buffers (dropped)
    plain.measure(requests / 4);
    strict.reset();
    plain.reset();
    for (int i = 0; i < pairs; i++) {
      strict.measure(requests);
      plain.measure(requests);
    }
    strict.print(name, "STRICT (mutual TLS)");
    plain.print(name, "DISABLED (plaintext)");
    System.out.printf(Locale.ROOT, "%-14s %-22s %19s %19s %19s%n", name, "STRICT / DISABLED",
        ratio(strict, plain, Load.Run::perSecond), ratio(strict, plain, r -> r.ms(50)),
        ratio(strict, plain, r -> r.ms(99)));
  }

  /** The median of the pairs' ratios, with the smallest and largest: "0.81 (0.78-0.85)". */
  private static String ratio(Arm a, Arm b, ToDoubleFunction<Load.Run> metric) {
    double[] ratios = new double[a.runs.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = metric.applyAsDouble(a.runs.get(i)) / metric.applyAsDouble(b.runs.get(i));
    }
    Arrays.sort(ratios);
    return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", median(ratios), ratios[0], ratios[ratios.length - 1]);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** One callee as the caller reaches it: its runs, and the caller's connection and handshake counters for it. */
  private final class Arm {
    final List<Load.Run> runs = new ArrayList<>();
    final String url;
    final String cluster;
    long connections;
    long handshakes;
    long sent;

    Arm(String svc) throws Exception {
      this.url = mesh.url(svc, "/");
      this.cluster = "cluster." + mesh.cluster(svc);
    }

    void measure(int n) throws Exception {
      long cx = caller.stat(cluster + ".upstream_cx_total");
      long tls = caller.stat(cluster + ".ssl.handshake");
      runs.add(load.run(url, n));
      connections += caller.stat(cluster + ".upstream_cx_total") - cx;
      handshakes += caller.stat(cluster + ".ssl.handshake") - tls;
      sent += n;
    }

    void reset() {
      runs.clear();
      connections = 0;
      handshakes = 0;
      sent = 0;
    }

    void print(String workload, String arm) {
      System.out.printf(Locale.ROOT, "%-14s %-22s %19s %19s %19s %9.3f %8.3f%n", workload, arm,
          spread(Load.Run::perSecond, "%.0f"), spread(r -> r.ms(50), "%.2f"), spread(r -> r.ms(99), "%.2f"),
          (double) connections / sent, (double) handshakes / sent);
    }

    /** The median run's figure with the smallest and largest. */
    private String spread(ToDoubleFunction<Load.Run> metric, String format) {
      double[] v = runs.stream().mapToDouble(metric).sorted().toArray();
      return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", median(v), v[0], v[v.length - 1]);
    }
  }
}
