package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.Map;

/**
 * One service's rendered resources for one kind of client, by type and name, and the VIPs they were
 * rendered with (a changed VIP is the one input that does not show in a revision of the service), and
 * whether its cluster was rendered with proxyless mutual TLS (which depends on its endpoints, not on the
 * service's revision: {@code MeshRenderer.proxylessTlsReaches}).
 */
record RenderedService(Map<ResourceType, Map<String, VersionedResource<?>>> resources, Map<String, String> vips,
    boolean proxylessTls) {
  static final RenderedService NONE = new RenderedService(Map.of(), Map.of());

  RenderedService(Map<ResourceType, Map<String, VersionedResource<?>>> resources, Map<String, String> vips) {
    this(resources, vips, false);
  }

  Map<String, VersionedResource<?>> of(ResourceType type) {
    return resources.getOrDefault(type, Map.of());
  }
}
