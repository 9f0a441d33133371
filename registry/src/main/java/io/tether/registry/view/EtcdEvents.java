package io.tether.registry.view;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.tether.registry.store.KeyLayout;
import java.util.List;
import java.util.Set;

/** What etcd's answers mean to {@link EtcdRegistryView}: a range read as a state, watch events as a change. */
final class EtcdEvents {
  private EtcdEvents() {}

  /** A state applied from a batch of watch events, and what it changed. */
  record Applied(RegistryState state, Set<RegistryChange> changes) {}

  /** The state a range read of the whole prefix describes, at the read's revision. */
  static RegistryState snapshot(KeyLayout keys, GetResponse response) {
    StateMutation load = new StateMutation(RegistryState.EMPTY);
    for (KeyValue kv : response.getKvs()) {
      load.apply(keys.parse(kv.getKey()), kv.getValue().getBytes(), kv.getModRevision());
    }
    return load.result(response.getHeader().getRevision());
  }

  /**
   * {@code previous} with one watch response's events applied, in order; the state's revision moves only
   * with the events' own revisions (never with the response header: see {@link EtcdRegistryView}).
   */
  static Applied apply(KeyLayout keys, RegistryState previous, List<WatchEvent> events) {
    StateMutation mutation = new StateMutation(previous);
    long revision = previous.revision();
    for (WatchEvent event : events) {
      KeyValue kv = event.getKeyValue();
      boolean put = event.getEventType() == WatchEvent.EventType.PUT;
      mutation.apply(keys.parse(kv.getKey()), put ? kv.getValue().getBytes() : null, kv.getModRevision());
      revision = Math.max(revision, kv.getModRevision());
    }
    return new Applied(mutation.result(revision), mutation.changes());
  }

  /** True when a watch failed because its start revision was compacted away: a re-list is due at once. */
  static boolean compaction(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CompactedException
          || (t.getMessage() != null && t.getMessage().contains("compacted"))) {
        return true;
      }
    }
    return false;
  }
}
