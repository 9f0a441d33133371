package io.tether.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's figures over interleaved pairs: per figure, each arm's median run and the median of the
 * pairs' Tether / stock ratios with their spread (none where the stock figure is 0: a count of faults).
 */
final class ArmReport {
  private ArmReport() {}

  static void print(String title, List<Map<String, Double>> tether, List<Map<String, Double>> stock) {
    System.out.printf(Locale.ROOT, "%n%s (%d pairs)%-14s %12s %12s %26s%n", title, tether.size(), "", "Tether",
        "stock", "Tether / stock (min-max)");
    for (String figure : tether.get(0).keySet()) {
      double[] t = values(tether, figure);
      double[] s = values(stock, figure);
      double[] ratios = new double[t.length];
      boolean comparable = true;
      for (int i = 0; i < t.length; i++) {
        comparable &= stock.get(i).get(figure) != 0;
        ratios[i] = tether.get(i).get(figure) / stock.get(i).get(figure);
      }
      Arrays.sort(ratios);
      String ratio = comparable ? String.format(Locale.ROOT, "%10.2fx (%.2f-%.2f)", median(ratios), ratios[0],
          ratios[ratios.length - 1]) : String.format(Locale.ROOT, "%10s", "-");
      System.out.printf(Locale.ROOT, "  %-40s %12.2f %12.2f %s%n", figure, median(t), median(s), ratio);
    }
    System.out.println();
  }

  /** One arm's run, one line. */
  static void line(String arm, int n, Map<String, Double> figures) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %-6s n=%-6d", arm, n));
    figures.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.2f;", k, v)));
    System.out.println(b);
  }

  private static double[] values(List<Map<String, Double>> runs, String figure) {
    return runs.stream().mapToDouble(r -> r.get(figure)).sorted().toArray();
  }

  static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
}
