package io.tether.agent.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The data points of one scrape, collected per {@link ScMetric} and built into the Prometheus model. */
final class Families {
  private final Map<ScMetric, List<CounterSnapshot.CounterDataPointSnapshot>> counters = new EnumMap<>(ScMetric.class);
  private final Map<ScMetric, List<GaugeSnapshot.GaugeDataPointSnapshot>> gauges = new EnumMap<>(ScMetric.class);
  private final Map<ScMetric, List<HistogramSnapshot.HistogramDataPointSnapshot>> histograms =
      new EnumMap<>(ScMetric.class);

  void add(ScMetric metric, Labels labels, double value) {
    if (metric.type == ScMetric.Type.GAUGE) {
      gauges.computeIfAbsent(metric, m -> new ArrayList<>())
          .add(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
    } else {
      counters.computeIfAbsent(metric, m -> new ArrayList<>())
          .add(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build());
    }
  }

  /**
   * A histogram from Envoy's cumulative buckets in milliseconds, written in seconds. Envoy's last bound
   * (an hour) becomes +Inf; no sum is written, as Envoy's cumulative buckets carry none.
   */
  void addHistogram(ScMetric metric, Labels labels, List<EnvoyStats.Bucket> buckets) {
    ClassicHistogramBuckets.Builder out = ClassicHistogramBuckets.builder();
    long previous = 0;
    for (int i = 0; i < buckets.size(); i++) {
      EnvoyStats.Bucket b = buckets.get(i);
      double bound = i == buckets.size() - 1 ? Double.POSITIVE_INFINITY : b.upperBound() / 1000.0;
      out.bucket(bound, Math.max(0, b.cumulative() - previous)); // the model takes each bucket's own count
      previous = Math.max(previous, b.cumulative());
    }
    histograms.computeIfAbsent(metric, m -> new ArrayList<>()).add(HistogramSnapshot.HistogramDataPointSnapshot
        .builder().labels(labels).classicHistogramBuckets(out.build()).build());
  }

  MetricSnapshots build() {
    List<MetricSnapshot> out = new ArrayList<>();
    for (ScMetric metric : ScMetric.values()) {
      switch (metric.type) {
        case COUNTER -> {
          CounterSnapshot.Builder b = CounterSnapshot.builder().name(metric.family).help(metric.help);
          counters.getOrDefault(metric, List.of()).forEach(b::dataPoint);
          out.add(b.build());
        }
        case GAUGE -> {
          GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(metric.family).help(metric.help);
          gauges.getOrDefault(metric, List.of()).forEach(b::dataPoint);
          out.add(b.build());
        }
        case HISTOGRAM -> {
          HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(metric.family).help(metric.help);
          histograms.getOrDefault(metric, List.of()).forEach(b::dataPoint);
          out.add(b.build());
        }
      }
    }
    return new MetricSnapshots(out);
  }
}
