package io.tether.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoint writes of a scenario, per EDS cluster, in the order they were issued (one at a time per
 * service): when each started and the fingerprint ({@link EndpointSet}) of the endpoints it leaves. A
 * stream's ACKed assignment is matched to the latest write that leaves what it holds and had started
 * before the response was sent; every write it had not yet been credited with up to that one then counts
 * as ACKed by that stream.
 */
final class WriteLog {
  record Write(long startNanos, long state) {}

  private final Map<String, List<Write>> byCluster = new ConcurrentHashMap<>();

  void add(String cluster, long startNanos, long state) {
    List<Write> writes = byCluster.computeIfAbsent(cluster, c -> new ArrayList<>());
    synchronized (writes) {
      writes.add(new Write(startNanos, state));
    }
  }

  /** Index of the latest write to {@code cluster} leaving {@code state} that started by {@code sentNanos}; -1: none. */
  int match(String cluster, long state, long sentNanos) {
    List<Write> writes = byCluster.get(cluster);
    if (writes == null) {
      return -1;
    }
    synchronized (writes) {
      for (int i = writes.size() - 1; i >= 0; i--) {
        Write w = writes.get(i);
        if (w.startNanos() <= sentNanos && w.state() == state) {
          return i;
        }
      }
    }
    return -1;
  }

  long startNanos(String cluster, int index) {
    List<Write> writes = byCluster.get(cluster);
    synchronized (writes) {
      return writes.get(index).startNanos();
    }
  }

  int size() {
    return byCluster.values().stream().mapToInt(List::size).sum();
  }
}
