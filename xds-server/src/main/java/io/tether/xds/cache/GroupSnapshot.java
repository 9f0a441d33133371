package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything one node group is served, by resource type. Immutable; {@link #with} shares all untouched
 * structure, so updating one ClusterLoadAssignment costs O(log n), not a copy of the mesh.
 */
public final class GroupSnapshot {
  public static final GroupSnapshot EMPTY = new GroupSnapshot(new EnumMap<>(ResourceType.class));

  private final EnumMap<ResourceType, TypeResources> types;

  private GroupSnapshot(EnumMap<ResourceType, TypeResources> types) {
    this.types = types;
  }

  public TypeResources of(ResourceType type) {
    return types.getOrDefault(type, TypeResources.EMPTY);
  }

  /** A snapshot with one resource put ({@code resource != null}) or removed. */
  public GroupSnapshot with(ResourceType type, String name, VersionedResource<?> resource) {
    TypeResources before = of(type);
    TypeResources after = before.with(name, resource);
    if (after == before) {
      return this;
    }
    EnumMap<ResourceType, TypeResources> copy = new EnumMap<>(types);
    copy.put(type, after);
    return new GroupSnapshot(copy);
  }

  /** Every type's resources, for inspection (e.g. a proxy's config in the API). */
  public Map<ResourceType, TypeResources> types() {
    return java.util.Collections.unmodifiableMap(types);
  }
}
