package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.tether.model.ServicePolicy;
import io.tether.xds.node.ProxyKind;

/**
 * The EDS cluster of a service: one per (namespace, service), its endpoints delivered over ADS as the
 * ClusterLoadAssignment of the same name, carrying the service's resilience policy.
 */
final class ClusterRenderer {
  private ClusterRenderer() {}

  static Cluster render(ServiceInput in, ProxyKind kind) {
    String name = ResourceNames.cluster(in.namespace(), in.spec().discoveryName());
    ServicePolicy policy = in.policy();
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        // service_name is the cluster's own name: explicit, so the EDS name never depends on the
        // client's fallback rule.
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setEdsConfig(Protos.ads())
            .setServiceName(name))
        .setConnectTimeout(Protos.CONNECT_TIMEOUT)
        .setCircuitBreakers(CircuitBreakerPolicy.render(policy.circuitBreakers()))
        .setOutlierDetection(OutlierDetectionPolicy.render(policy.outlierDetection(), kind))
        .putAllTypedExtensionProtocolOptions(
            UpstreamProtocolOptions.forProtocol(in.spec().protocol(), policy.timeout()));
    LoadBalancingPolicy.apply(cluster, policy.loadBalancing(), kind);
    return cluster.build();
  }
}
