package io.tether.bench;

import io.tether.bench.fleet.AdsFleet;
import io.tether.registry.etcd.LocalEtcd;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every run of {@link ScaleBenchmark} starts the same way: a {@link ScaleServer} of one arm on the
 * benchmark's etcd (a key prefix of its own per run, or one shared by a restart) and an {@link AdsFleet}
 * against it, with the benchmark's options.
 */
final class ScaleArms {
  private final LocalEtcd etcd;
  private final ScaleBenchmark options;
  private int run;

  ScaleArms(LocalEtcd etcd, ScaleBenchmark options) {
    this.etcd = etcd;
    this.options = options;
  }

  /** A key prefix no run has used. */
  String newPrefix() {
    return "/scale-" + (run++) + "/";
  }

  /** A server of {@code arm} on a new prefix. */
  Child server(String arm, List<String> extraArgs) throws IOException {
    return server(arm, newPrefix(), extraArgs);
  }

  Child server(String arm, String prefix, List<String> extraArgs) throws IOException {
    List<String> flags = new ArrayList<>(List.of("-XX:+UseG1GC"));
    flags.addAll(options.serverFlags);
    List<String> args = new ArrayList<>(List.of("--etcd", etcd.clientUrl(), "--prefix", prefix, "--arm", arm,
        "--services", Integer.toString(options.services)));
    args.addAll(extraArgs);
    if (options.profileDir != null) {
      args.addAll(List.of("--profile-writes", options.profileDir.resolve(arm + "-" + run + ".jfr").toString()));
    }
    return Child.start(flags, ScaleServer.class, args);
  }

  /** A fleet of {@code n} streams of {@code arm}'s server on {@code port}. */
  Child fleet(String arm, int port, int n) throws IOException {
    List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--streams", Integer.toString(n),
        "--per-connection", Integer.toString(options.perConnection), "--namespace", ScaleServer.NS,
        "--id-prefix", arm + "-" + run));
    if (arm.equals("tether")) {
      args.addAll(List.of("--token", ScaleServer.TOKEN));
      if (!options.nodeOnEveryRequest) {
        args.add("--node-on-first-message-only");
      }
    }
    if (options.delta) {
      args.add("--delta");
    }
    return Child.start(List.of("-Xss256k", "-Xmx8g"), AdsFleet.class, args);
  }

  /** {@code key=value} words as a map. */
  static Map<String, Long> stats(String line) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String word : line.strip().split(" ")) {
      String[] kv = word.split("=");
      if (kv.length == 2) {
        out.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return out;
  }
}
