package io.tether.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The host agent's figures of the agent benchmark, by task count, arm and round: its RSS, its egress
 * Envoy's, the tasks' Envoys', and the marginal RSS of one more task from the first count to each.
 */
final class HostTable {
  private final List<JvmArm> arms;
  private final List<Integer> counts;
  private final Map<String, AgentBenchmark.Rounds> values = new HashMap<>();

  HostTable(List<JvmArm> arms, List<Integer> counts) {
    this.arms = arms;
    this.counts = counts;
  }

  void add(int n, int round, JvmArm arm, AgentFigures f, long taskEnvoys) {
    put(n, "rss", round, arm, AgentBenchmark.mib(f.rss().get(0)));
    put(n, "anon", round, arm, AgentBenchmark.mib(f.anon().get(0)));
    put(n, "egress", round, arm, AgentBenchmark.mib(f.envoyRss().get(0)));
    put(n, "taskEnvoy", round, arm, AgentBenchmark.mib(taskEnvoys) / n);
    put(n, "start", round, arm, f.envoyReady().get(0));
  }

  private void put(int n, String metric, int round, JvmArm arm, double value) {
    values.computeIfAbsent(n + metric, k -> new AgentBenchmark.Rounds()).put(arm, round, value);
  }

  void print() {
    System.out.printf(Locale.ROOT, "%n%-6s %-14s %12s %12s %14s %16s %14s %12s%n", "tasks", "arm", "JVM RSS MiB",
        "RssAnon MiB", "egress Envoy", "task Envoy/task", "MiB per task", "->ready ms");
    int first = counts.get(0);
    for (int n : counts) {
      for (JvmArm arm : arms) {
        double marginal = n == first ? Double.NaN
            : (values.get(n + "rss").median(arm) - values.get(first + "rss").median(arm)) / (n - first);
        System.out.printf(Locale.ROOT, "%-6d %-14s %12.1f %12.1f %14.1f %16.1f %14s %12.0f%n", n, arm.name(),
            values.get(n + "rss").median(arm), values.get(n + "anon").median(arm), values.get(n + "egress").median(arm),
            values.get(n + "taskEnvoy").median(arm), n == first ? "-" : String.format(Locale.ROOT, "%.2f", marginal),
            values.get(n + "start").median(arm));
      }
      for (JvmArm arm : arms.subList(1, arms.size())) {
        System.out.printf(Locale.ROOT, "%-6d %-14s %11.2fx %11.2fx %46s %11.2fx%n", n, arm.name() + "/" + arms.get(0).name(),
            values.get(n + "rss").ratio(arm, arms.get(0)), values.get(n + "anon").ratio(arm, arms.get(0)), "",
            values.get(n + "start").ratio(arm, arms.get(0)));
      }
    }
  }
}
