package io.tether.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The per-task figures of the agent benchmark, by task count, arm and round, and how they are printed. */
final class PerTaskTable {
  private static final String[] METRICS = {"rss", "anon", "total", "envoy", "started", "ready", "readyMax", "registered"};
  private final List<JvmArm> arms;
  private final Map<String, AgentBenchmark.Rounds> values = new HashMap<>();

  PerTaskTable(List<JvmArm> arms) {
    this.arms = arms;
  }

  void add(int n, int round, JvmArm arm, AgentFigures f) {
    put(n, "rss", round, arm, AgentBenchmark.mib(AgentFigures.median(f.rss())));
    put(n, "anon", round, arm, AgentBenchmark.mib(AgentFigures.median(f.anon())));
    put(n, "total", round, arm, AgentBenchmark.mib(f.totalRss()));
    put(n, "envoy", round, arm, AgentBenchmark.mib(AgentFigures.median(f.envoyRss())));
    put(n, "started", round, arm, AgentFigures.median(f.envoyStarted()));
    put(n, "ready", round, arm, AgentFigures.median(f.envoyReady()));
    put(n, "readyMax", round, arm, AgentFigures.max(f.envoyReady()));
    put(n, "registered", round, arm, AgentFigures.median(f.registered()));
  }

  private void put(int n, String metric, int round, JvmArm arm, double value) {
    values.computeIfAbsent(n + metric, k -> new AgentBenchmark.Rounds()).put(arm, round, value);
  }

  void print(int n) {
    System.out.printf(Locale.ROOT, "%n%-6s %-14s %12s %12s %14s %12s %12s %12s %12s %12s%n", "tasks", "arm",
        "JVM RSS MiB", "RssAnon MiB", "all JVMs MiB", "Envoy MiB", "->Envoy ms", "->ready ms", "ready max", "->regist.");
    for (JvmArm arm : arms) {
      System.out.printf(Locale.ROOT, "%-6d %-14s", n, arm.name());
      for (String metric : METRICS) {
        System.out.printf(Locale.ROOT, metric.equals("total") ? " %14.1f" : metric.equals("rss")
            || metric.equals("anon") || metric.equals("envoy") ? " %12.1f" : " %12.0f", values.get(n + metric).median(arm));
      }
      System.out.println();
    }
    for (JvmArm arm : arms.subList(1, arms.size())) {
      System.out.printf(Locale.ROOT, "%-6d %-14s", n, arm.name() + "/" + arms.get(0).name());
      for (String metric : METRICS) {
        System.out.printf(Locale.ROOT, metric.equals("total") ? " %13.2fx" : " %11.2fx",
            values.get(n + metric).ratio(arm, arms.get(0)));
      }
      System.out.println();
    }
  }
}
