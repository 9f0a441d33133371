package io.tether.xds.server;

import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import java.util.Comparator;
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
 * lines. A stream costs one counter increment when admitted and one decrement when it closes.
 *
 * <p>Thread-safety: counters are concurrent and updated from gRPC threads; {@link #summaryIfChanged}
 * and {@link #logIfChanged} are called from one thread at a time (the scheduler's).
 */
final class StreamCensus {
  private static final Logger log = LoggerFactory.getLogger(StreamCensus.class);
  private static final Comparator<Key> ORDER = Comparator.comparing(Key::namespace).thenComparing(Key::kind);

  private record Key(String namespace, ProxyKind kind) {}

  private final ConcurrentMap<Key, LongAdder> open = new ConcurrentHashMap<>();
  private Map<Key, Long> lastSummarised = Map.of(); // confined to the summarising thread

  void opened(GroupKey group) {
    open.computeIfAbsent(new Key(group.namespace(), group.kind()), k -> new LongAdder()).increment();
  }

  void closed(GroupKey group) {
    open.computeIfAbsent(new Key(group.namespace(), group.kind()), k -> new LongAdder()).decrement();
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
