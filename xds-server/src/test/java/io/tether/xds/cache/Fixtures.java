package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Real resources and snapshots for the cache tests: EDS clusters, their assignments, listeners. */
final class Fixtures {
  private Fixtures() {}

  static final GroupKey ENVOY = new GroupKey("ns", ProxyKind.ENVOY, List.of());
  static final GroupKey GRPC = GroupKey.grpc("ns");

  static VersionedResource<?> cluster(String name, String version) {
    return VersionedResource.create(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName(name)).build(), version);
  }

  static VersionedResource<?> assignment(String name, String version) {
    return VersionedResource.create(ClusterLoadAssignment.newBuilder().setClusterName(name).build(), version);
  }

  static VersionedResource<?> listener(String name, String version) {
    return VersionedResource.create(Listener.newBuilder().setName(name).build(), version);
  }

  /** Clusters and assignments a and b at version 1, listener l at version 1. */
  static GroupSnapshot mesh() {
    return GroupSnapshot.EMPTY
        .with(ResourceType.CLUSTER, "a", cluster("a", "1")).with(ResourceType.CLUSTER, "b", cluster("b", "1"))
        .with(ResourceType.ENDPOINT, "a", assignment("a", "1")).with(ResourceType.ENDPOINT, "b", assignment("b", "1"))
        .with(ResourceType.LISTENER, "l", listener("l", "1"));
  }

  static Map<ResourceType, Set<String>> changed(ResourceType type, String... names) {
    return Map.of(type, Set.of(names));
  }
}
