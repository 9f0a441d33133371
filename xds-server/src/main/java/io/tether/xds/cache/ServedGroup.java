package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.xds.node.GroupKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One node group as {@link TetherCache} serves it; guarded by its own lock (see the cache's comment).
 *
 * <p>The watches waiting on the group's next update are a set in arrival order, and each stream's waiting
 * endpoint watch is also found by its stream, so that what one request does costs that request's stream,
 * not the group's: a cluster response that leaves its stream owed assignments ({@link TypeState#resend})
 * answers that stream's endpoint watch without looking at the others (with 5,000 streams in a group,
 * scanning every waiting watch on every request took 70% of the server's CPU).
 */
final class ServedGroup {
  GroupSnapshot snapshot; // null until the first publish
  int streams;
  boolean dropped; // its last stream closed: a late publish must not count its weight again
  final GroupLedger ledger;
  private final Set<PlannedWatch<?>> waiting = new LinkedHashSet<>();
  private final Map<ProxyStream, PlannedWatch<?>> waitingEndpoints = new HashMap<>();
  private final Queue<ProxyStream> owing = new ArrayDeque<>();

  ServedGroup(CacheMeters meters, GroupKey key) {
    ledger = new GroupLedger(meters, key.namespace());
  }

  int waitingWatches() {
    return waiting.size();
  }

  /** Parks {@code w} until an update concerns it. */
  void park(PlannedWatch<?> w) {
    waiting.add(w);
    if (w.type == ResourceType.ENDPOINT) {
      waitingEndpoints.put(w.stream, w);
    }
  }

  void unpark(PlannedWatch<?> w) {
    waiting.remove(w);
    waitingEndpoints.remove(w.stream, w);
  }

  /** Retries the waiting watches that {@code done} says are answered now, and forgets those. */
  void retryWaiting(Predicate<PlannedWatch<?>> done) {
    for (Iterator<PlannedWatch<?>> it = waiting.iterator(); it.hasNext(); ) {
      PlannedWatch<?> w = it.next();
      if (done.test(w)) {
        it.remove();
        waitingEndpoints.remove(w.stream, w);
      }
    }
  }

  /**
   * {@link PlannedWatch#retry}, noting a stream that a cluster response just left owed assignments, for
   * {@link #settleResends}.
   */
  boolean retry(PlannedWatch<?> w, GroupSnapshot from, GroupSnapshot before, Set<String> changed) {
    boolean done = w.retry(from, before, changed);
    if (done && w.type == ResourceType.CLUSTER) {
      TypeState endpoints = w.stream.types().get(ResourceType.ENDPOINT);
      if (endpoints != null && !endpoints.resend.isEmpty()) {
        owing.add(w.stream);
      }
    }
    return done;
  }

  /**
   * Answers the waiting endpoint watches of the streams owed assignments by the cluster responses just
   * sent: on the same stream, right after the clusters, as Envoy's warming expects.
   */
  void settleResends() {
    for (ProxyStream stream; (stream = owing.poll()) != null; ) {
      PlannedWatch<?> w = waitingEndpoints.get(stream);
      if (w != null && snapshot != null && w.owesResend() && w.retry(snapshot, snapshot, Set.of())) {
        unpark(w);
      }
    }
  }
}
