package io.tether.xds.cache;

import io.tether.xds.node.GroupKey;
import java.util.ArrayList;
import java.util.List;

/** One node group as {@link TetherCache} serves it; guarded by its own lock (see the cache's comment). */
final class ServedGroup {
  GroupSnapshot snapshot; // null until the first publish
  int streams;
  boolean dropped; // its last stream closed: a late publish must not count its weight again
  final List<PlannedWatch<?>> waiting = new ArrayList<>();
  final GroupLedger ledger;

  ServedGroup(CacheMeters meters, GroupKey key) {
    ledger = new GroupLedger(meters, key.namespace());
  }
}
