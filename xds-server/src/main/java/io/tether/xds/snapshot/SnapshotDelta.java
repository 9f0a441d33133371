package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.tether.xds.cache.GroupSnapshot;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Resources put (non-null) or removed (null) by one update, by type and name; applied to every group it concerns. */
final class SnapshotDelta {
  private final Map<ResourceType, Map<String, VersionedResource<?>>> changes = new EnumMap<>(ResourceType.class);

  /** Records the difference between what one owner (a service, an ingress) rendered before and now. */
  void diff(RenderedService before, RenderedService after) {
    for (ResourceType type : ResourceType.values()) {
      Map<String, VersionedResource<?>> a = before.of(type);
      Map<String, VersionedResource<?>> b = after.of(type);
      a.keySet().stream().filter(n -> !b.containsKey(n)).forEach(n -> put(type, n, null));
      b.forEach((n, r) -> {
        VersionedResource<?> old = a.get(n);
        if (old == null || !old.version().equals(r.version())) {
          put(type, n, r);
        }
      });
    }
  }

  void put(ResourceType type, String name, VersionedResource<?> resource) {
    changes.computeIfAbsent(type, t -> new HashMap<>()).put(name, resource);
  }

  GroupSnapshot applyTo(GroupSnapshot snapshot) {
    GroupSnapshot out = snapshot;
    for (Map.Entry<ResourceType, Map<String, VersionedResource<?>>> t : changes.entrySet()) {
      for (Map.Entry<String, VersionedResource<?>> r : t.getValue().entrySet()) {
        out = out.with(t.getKey(), r.getKey(), r.getValue());
      }
    }
    return out;
  }

  /** The names this delta touches, by type, merged into {@code into}. */
  void namesInto(Map<ResourceType, Set<String>> into) {
    changes.forEach((type, byName) -> into.computeIfAbsent(type, t -> new HashSet<>()).addAll(byName.keySet()));
  }
}
