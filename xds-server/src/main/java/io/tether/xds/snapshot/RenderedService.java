package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.Map;

/**
 * One service's rendered resources for one kind of client, by type and name, and the VIPs they were
 * rendered with (a changed VIP is the one input that does not show in a revision of the service).
 */
record RenderedService(Map<ResourceType, Map<String, VersionedResource<?>>> resources, Map<String, String> vips) {
  static final RenderedService NONE = new RenderedService(Map.of(), Map.of());

  Map<String, VersionedResource<?>> of(ResourceType type) {
    return resources.getOrDefault(type, Map.of());
  }
}
