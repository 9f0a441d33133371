package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.tether.xds.node.ServedService;

/**
 * The static cluster from a sidecar's ingress listener to the app beside it on 127.0.0.1. No outlier
 * detection or retries: there is one app and nothing else to try; the callers' sidecars apply the
 * service's policy.
 */
final class LocalClusterRenderer {
  private LocalClusterRenderer() {}

  static final String LOOPBACK = "127.0.0.1";

  static Cluster render(ServiceInput in, ServedService served) {
    String name = ResourceNames.localCluster(served.discoveryName());
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Protos.CONNECT_TIMEOUT)
        .setCircuitBreakers(CircuitBreakerPolicy.unlimited())
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(name)
            .addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(Protos.socketAddress(LOOPBACK, served.appPort()))))))
        .putAllTypedExtensionProtocolOptions(
            UpstreamProtocolOptions.forProtocol(in.spec().protocol(), in.policy().timeout()))
        .build();
  }
}
