package io.tether.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What one run of an arm measured: per agent JVM its memory and start-up times (milliseconds from exec
 * to a log line; -1 when the mode has no such event), and the Envoys beside it.
 */
record AgentFigures(List<Long> rss, List<Long> anon, List<Long> envoyRss, List<Long> envoyStarted,
    List<Long> envoyReady, List<Long> registered) {

  AgentFigures() {
    this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }

  long totalRss() {
    return rss.stream().mapToLong(Long::longValue).sum();
  }

  static double median(Collection<? extends Number> values) {
    List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  static double max(Collection<? extends Number> values) {
    return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
  }
}
