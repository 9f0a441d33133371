package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One group's record of what its snapshots changed when, and what they weigh (docs/metrics.md). A
 * publish stamps the names it changed with the revision and receipt time of its registry update; a
 * response then carries the earliest stamp newer than what its stream was last sent, and the ACK of
 * the response records the time from that receipt. So the histogram costs what changed: nothing scans
 * the streams or the snapshot. Guarded by the group's lock in {@link TetherCache}.
 */
final class GroupLedger {
  /** Removed names remembered per type (a removal reaches the clients in the next few responses). */
  private static final int REMOVALS_KEPT = 256;

  private record Removal(String name, ChangeStamp stamp) {}

  private static final Deque<Removal> NO_REMOVALS = new ArrayDeque<>(0);

  private final CacheMeters meters;
  private final SnapshotSizes.Totals namespace;
  private final Map<ResourceType, Map<String, ChangeStamp>> stamps = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, Deque<Removal>> removals = new EnumMap<>(ResourceType.class);
  private final Map<ResourceType, long[]> weight = new EnumMap<>(ResourceType.class); // {resources, bytes}
  private long revision;

  GroupLedger(CacheMeters meters, String namespace) {
    this.meters = meters;
    this.namespace = meters.sizes.of(namespace);
  }

  /** A snapshot replaced {@code before}; {@code changed} as in {@link TetherCache#publish}, null: everything. */
  void published(GroupSnapshot before, GroupSnapshot after, Map<ResourceType, Set<String>> changed, ChangeStamp cause) {
    revision = Math.max(revision, cause.revision());
    if (changed == null) {
      CacheMeters.TYPES.keySet().forEach(type -> reweigh(type, after.of(type), null, null));
      return;
    }
    changed.forEach((type, names) -> {
      reweigh(type, after.of(type), before.of(type), names);
      if (cause.isChange()) {
        stamp(type, after.of(type), names, cause);
      }
    });
  }

  /** A stream's type state starts from the group's revision: what came before is not news to it. */
  void attach(TypeState state) {
    if (state.baseline < 0) {
      state.baseline = revision;
    }
  }

  /** A response is going out: count it, and note the earliest change it brings the client. */
  void sent(ResourceType type, ProxyStream stream, TypeState state, Map<String, VersionedResource<?>> sending,
      Map<String, String> held) {
    meters.pushed(type, stream.delta());
    long earliest = 0;
    Map<String, ChangeStamp> byName = stamps.getOrDefault(type, Map.of());
    for (String name : sending.keySet()) {
      earliest = earlier(earliest, byName.get(name), state.baseline);
    }
    for (Iterator<Removal> it = removals.getOrDefault(type, NO_REMOVALS).descendingIterator(); it.hasNext(); ) {
      Removal r = it.next();
      if (r.stamp.revision() <= state.baseline) {
        break;
      }
      if (held.containsKey(r.name)) {
        earliest = earlier(earliest, r.stamp, state.baseline);
      }
    }
    state.baseline = Math.max(state.baseline, revision);
    state.sentChangeAt = state.sentChangeAt == 0 ? earliest : earlier(state.sentChangeAt, earliest);
    if (state.sentChangeAt != 0 && !state.changeInFlight && !stream.closed) {
      state.changeInFlight = true;
      meters.changeInFlight(1);
    }
  }

  /** A stream answered its last response of this type: a NACK is counted, an ACK of a change timed. */
  void replied(ResourceType type, boolean delta, TypeState state, boolean nack) {
    if (state.sentVersion == null) {
      return;
    }
    if (nack) {
      meters.nacked(type, delta);
    } else if (state.sentChangeAt != 0) {
      meters.acked(type, state.sentChangeAt);
    }
    state.sentChangeAt = 0;
    settle(state);
  }

  /** A stream of the group closed: what it was sent and never answered is no longer in flight. */
  void closed(ProxyStream stream) {
    stream.closed = true;
    stream.types().values().forEach(this::settle);
  }

  private void settle(TypeState state) {
    if (state.changeInFlight) {
      state.changeInFlight = false;
      meters.changeInFlight(-1);
    }
  }

  /** The group is gone: its weight leaves the namespace's totals. */
  void dropped() {
    weight.forEach((type, w) -> namespace.add(type, -w[0], -w[1]));
    weight.clear();
  }

  private void reweigh(ResourceType type, TypeResources now, TypeResources then, Set<String> names) {
    long[] w = weight.computeIfAbsent(type, t -> new long[2]);
    long bytes = w[1];
    if (names == null) {
      bytes = 0;
      for (VersionedResource<?> r : now.resources().values()) {
        bytes += size(r);
      }
    } else {
      for (String name : names) {
        bytes += size(now.resources().get(name)) - size(then.resources().get(name));
      }
    }
    long count = now.resources().size();
    namespace.add(type, count - w[0], bytes - w[1]);
    w[0] = count;
    w[1] = bytes;
  }

  private void stamp(ResourceType type, TypeResources now, Set<String> names, ChangeStamp cause) {
    Map<String, ChangeStamp> byName = stamps.computeIfAbsent(type, t -> new HashMap<>());
    for (String name : names) {
      if (now.resources().containsKey(name)) {
        byName.put(name, cause);
      } else {
        byName.remove(name);
        Deque<Removal> kept = removals.computeIfAbsent(type, t -> new ArrayDeque<>());
        kept.addLast(new Removal(name, cause));
        if (kept.size() > REMOVALS_KEPT) {
          kept.removeFirst();
        }
      }
    }
  }

  private static long earlier(long earliest, ChangeStamp stamp, long baseline) {
    if (stamp == null || stamp.revision() <= baseline) {
      return earliest;
    }
    return earliest == 0 ? stamp.receivedAtNanos() : earlier(earliest, stamp.receivedAtNanos());
  }

  private static long earlier(long a, long b) {
    return b == 0 ? a : (a - b < 0 ? a : b); // nanoTime values: compare by difference
  }

  private static long size(VersionedResource<?> r) {
    return r == null ? 0 : r.resource().getSerializedSize();
  }
}
