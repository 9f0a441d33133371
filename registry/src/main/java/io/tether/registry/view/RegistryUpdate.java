package io.tether.registry.view;

import java.util.Set;

/**
 * One step of the view: the state before, the state after, and exactly what differs. {@code resync}
 * is true when the view re-listed etcd (start, compaction, lost watch) rather than following events.
 * {@code receivedAtNanos} ({@link System#nanoTime}) is when the view received the revision from etcd,
 * where the xDS write-to-ACK histogram starts: etcd events carry no commit time (docs/metrics.md).
 */
public record RegistryUpdate(RegistryState previous, RegistryState current, Set<RegistryChange> changes,
    boolean resync, long receivedAtNanos) {
  public RegistryUpdate {
    changes = Set.copyOf(changes);
  }

  /** An update received now. */
  public RegistryUpdate(RegistryState previous, RegistryState current, Set<RegistryChange> changes, boolean resync) {
    this(previous, current, changes, resync, System.nanoTime());
  }
}
