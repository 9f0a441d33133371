package io.tether.bench;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.InvalidNodeException;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeMetadataParser;
import io.tether.xds.server.XdsServer;
import java.io.IOException;
import java.util.List;

/**
 * The benchmarks' baseline: a stock java-control-plane {@code V3DiscoveryServer} on a
 * {@code SimpleCache}, fed exactly the snapshots Tether publishes (the whole snapshot per update,
 * the only way SimpleCache takes them), keyed by the same node groups.
 */
final class StockServer implements AutoCloseable {
  private final Server server;

  private StockServer(Server server) {
    this.server = server;
  }

  static StockServer start(XdsServer tether, int port, List<DiscoveryServerCallbacks> callbacks) throws IOException {
    SimpleCache<GroupKey> simple = new SimpleCache<>(StockServer::groupOf);
    tether.cache().addPublishListener((group, snapshot) -> simple.setSnapshot(group, toSnapshot(snapshot)));
    return new StockServer(NettyServerBuilder.forPort(port)
        .addService(new V3DiscoveryServer(callbacks, simple).getAggregatedDiscoveryServiceImpl())
        .build().start());
  }

  int port() {
    return server.getPort();
  }

  static GroupKey groupOf(io.envoyproxy.envoy.config.core.v3.Node node) {
    try {
      return NodeMetadataParser.parse(node).group();
    } catch (InvalidNodeException e) {
      return GroupKey.grpc("invalid");
    }
  }

  /**
   * The same resources and per-type versions as Tether's group snapshot, SDS secrets included (an Envoy
   * group's clusters and listeners name them), as a java-control-plane Snapshot.
   */
  static Snapshot toSnapshot(GroupSnapshot s) {
    return Snapshot.create(
        resources(s, ResourceType.CLUSTER, Cluster.class), s.of(ResourceType.CLUSTER).version(),
        resources(s, ResourceType.ENDPOINT, ClusterLoadAssignment.class), s.of(ResourceType.ENDPOINT).version(),
        resources(s, ResourceType.LISTENER, Listener.class), s.of(ResourceType.LISTENER).version(),
        resources(s, ResourceType.ROUTE, RouteConfiguration.class), s.of(ResourceType.ROUTE).version(),
        resources(s, ResourceType.SECRET, Secret.class), s.of(ResourceType.SECRET).version());
  }

  private static <T> List<T> resources(GroupSnapshot s, ResourceType type, Class<T> cls) {
    return s.of(type).resources().values().stream().map(r -> cls.cast(r.resource())).toList();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
