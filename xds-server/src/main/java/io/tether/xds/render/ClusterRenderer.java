package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.tether.model.ServicePolicy;
import io.tether.model.TlsMode;
import io.tether.xds.node.ProxyKind;
import java.util.List;

/**
 * The EDS clusters of a service: one per (namespace, service), and one per subset of it, each's endpoints
 * delivered over ADS as the ClusterLoadAssignment of the same name, carrying the service's resilience policy.
 */
final class ClusterRenderer {
  private ClusterRenderer() {}

  static Cluster render(ServiceInput in, ProxyKind kind) {
    return render(in, kind, false);
  }

  /**
   * As {@link #render(ServiceInput, ProxyKind)}; {@code proxylessTls} when the callers are proxyless
   * clients with the {@code tether} certificate provider and every endpoint of the service is fronted by
   * an agent's Envoy (docs/security.md "Proxyless gRPC"): a grpc-java cluster is TLS or plaintext for all
   * its endpoints, and those are the ones that speak mutual TLS.
   */
  static Cluster render(ServiceInput in, ProxyKind kind, boolean proxylessTls) {
    return render(in, kind, proxylessTls, ResourceNames.cluster(in.namespace(), in.spec().discoveryName()));
  }

  /**
   * One cluster per subset ({@link ResourceNames#subsetCluster}), in the order declared: the service's own
   * cluster under another name, with the same policy, TLS and breakers (breakers and outlier ejections
   * count per subset cluster), its endpoints the subset's members' assignment of that name.
   */
  static List<Cluster> subsets(ServiceInput in, ProxyKind kind, boolean proxylessTls) {
    String svc = in.spec().discoveryName();
    return in.spec().traffic().subsets().stream()
        .map(s -> render(in, kind, proxylessTls, ResourceNames.subsetCluster(in.namespace(), svc, s.name())))
        .toList();
  }

  private static Cluster render(ServiceInput in, ProxyKind kind, boolean proxylessTls, String name) {
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
    if (kind == ProxyKind.ENVOY && policy.tls().mode() != TlsMode.DISABLED) {
      // The service's name as SNI for a subset's cluster too: the callee's sidecar serves the service.
      cluster.addTransportSocketMatches(meshTls(in, ResourceNames.cluster(in.namespace(), in.spec().discoveryName())));
    }
    if (kind == ProxyKind.GRPC && proxylessTls && policy.tls().mode() != TlsMode.DISABLED) {
      cluster.setTransportSocket(ProxylessTls.upstream(in.trustDomain().service(in.namespace(),
          in.spec().discoveryName())));
    }
    return cluster.build();
  }

  /**
   * Mutual TLS to the endpoints whose Envoy fronts them ({@link EndpointRenderer} marks them), checking
   * the callee's exact SPIFFE ID; the others get the cluster's default, plaintext. Proxyless gRPC
   * clusters get {@link ProxylessTls} instead: grpc-java NACKs {@code transport_socket_matches}.
   */
  private static Cluster.TransportSocketMatch meshTls(ServiceInput in, String clusterName) {
    String spiffeId = in.trustDomain().service(in.namespace(), in.spec().discoveryName());
    return Cluster.TransportSocketMatch.newBuilder()
        .setName("tether-mesh")
        .setMatch(Struct.newBuilder().putFields(MeshTls.ENDPOINT_KEY, Value.newBuilder()
            .setStringValue(MeshTls.ENDPOINT_MESH).build()))
        .setTransportSocket(MeshTls.upstream(spiffeId, clusterName, in.spec().protocol()))
        .build();
  }
}
