package io.tether.xds.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open, admitted xDS streams counted by namespace and kind of client, summarised in one INFO line
 * when the counts changed, at most once per period ({@link XdsServer} schedules {@link #logIfChanged}).
 * Per-stream lines are DEBUG: ten thousand streams are a handful of summaries, not twenty thousand
 * lines. A stream costs one counter increment when admitted and one decrement when it closes. The
 * counts are also the gauge {@code tether_xds_proxies_connected}, and refused streams are counted by
 * reason (docs/metrics.md).
 *
 * <p>Thread-safety: counters are concurrent and updated from gRPC threads; {@link #summaryIfChanged}
 * and {@link #logIfChanged} are called from one thread at a time (the scheduler's).
 */
final class StreamCensus {
  private static final Logger log = LoggerFactory.getLogger(StreamCensus.class);
  private static final Comparator<Key> ORDER = Comparator.comparing(Key::namespace).thenComparing(Key::kind);

  private record Key(String namespace, ProxyKind kind) {}

  private final ConcurrentMap<Key, LongAdder> open = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> refused = new ConcurrentHashMap<>();
  private Map<Key, Long> lastSummarised = Map.of(); // confined to the summarising thread
  private final MeterRegistry meters;
  private volatile String replica = "";

  StreamCensus() {
    this(new CompositeMeterRegistry()); // meters that go nowhere: for tests
  }

  StreamCensus(MeterRegistry meters) {
    this.meters = meters;
    // Every reason at 0 from the start, so that a rate or an alert on refusals reads 0, not "no data".
    REASONS.forEach(reason -> refused.put(reason, refusedCounter(reason)));
  }

  /** The words {@link #refused} is called with (docs/metrics.md). */
  static final java.util.List<String> REASONS = java.util.List.of("unauthenticated", "permission_denied", "invalid_node");

  /** This replica's name, the {@code replica} label of the connected gauge; set before streams come. */
  void replica(String name) {
    replica = name;
  }

  void opened(GroupKey group) {
    counter(group).increment();
  }

  void closed(GroupKey group) {
    counter(group).decrement();
  }

  /** A stream turned away: {@code reason} is one of a few fixed words (unauthenticated, invalid_node…). */
  void refused(String reason) {
    refused.computeIfAbsent(reason, this::refusedCounter).increment();
  }

  private Counter refusedCounter(String reason) {
    return Counter.builder("tether.xds.streams.refused").tag("reason", reason)
        .description("xDS streams refused on admission").register(meters);
  }

  private LongAdder counter(GroupKey group) {
    return open.computeIfAbsent(new Key(group.namespace(), group.kind()), this::register);
  }

  private LongAdder register(Key key) {
    LongAdder n = new LongAdder();
    Gauge.builder("tether.xds.proxies.connected", n, LongAdder::sum).tag("namespace", key.namespace())
        .tag("kind", key.kind().name().toLowerCase(Locale.ROOT)).tag("replica", replica)
        .description("admitted xDS streams open on this replica (one per proxy; two while one reconnects)")
        .register(meters);
    return n;
  }

  void logIfChanged() {
    String summary = summaryIfChanged();
    if (summary != null) {
      log.info(summary);
    }
  }

  /** The summary line when the counts differ from those of the last summary, else null. */
  String summaryIfChanged() {
    Map<Key, Long> now = new TreeMap<>(ORDER);
    open.forEach((k, n) -> {
      long count = n.sum();
      if (count != 0) {
        now.put(k, count);
      }
    });
    if (now.equals(lastSummarised)) {
      return null;
    }
    lastSummarised = now;
    return summary(now);
  }

  private static String summary(Map<Key, Long> counts) {
    if (counts.isEmpty()) {
      return "xDS streams: none open";
    }
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    Map<String, String> byNamespace = new TreeMap<>();
    counts.forEach((k, n) -> byNamespace.merge(k.namespace(), k.kind() + " " + n, (a, b) -> a + ", " + b));
    return "xDS streams: " + total + " open; " + byNamespace.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
  }
}
