package io.tether.registry.view;

import java.util.Set;

/**
 * One step of the view: the state before, the state after, and exactly what differs. {@code resync}
 * is true when the view re-listed etcd (start, compaction, lost watch) rather than following events.
 */
public record RegistryUpdate(
    RegistryState previous, RegistryState current, Set<RegistryChange> changes, boolean resync) {
  public RegistryUpdate {
    changes = Set.copyOf(changes);
  }
}
