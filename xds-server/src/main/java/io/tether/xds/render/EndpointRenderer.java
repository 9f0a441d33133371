package io.tether.xds.render;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service's endpoints as its ClusterLoadAssignment: one locality per zone, every endpoint with its
 * health; for a zone-aware service's caller in a zone, two priorities. Localities are sorted by zone and
 * endpoints by id, so equal input gives byte-equal output and
 * an unchanged service never looks changed.
 */
final class EndpointRenderer {
  private EndpointRenderer() {}

  /**
   * An empty map still gives an assignment (with no endpoints): Envoy keeps an EDS cluster warming
   * until it gets one, and a client waits 15 s for a resource it never receives.
   */
  static ClusterLoadAssignment render(String namespace, String service, Map<String, Endpoint> endpointsById) {
    return render(ResourceNames.cluster(namespace, service), endpointsById, null);
  }

  /**
   * As {@link #render(String, String, Map)} for a caller in {@code callerZone} of a zone-aware service: the
   * caller's zone's locality at priority 0, every other (the zoneless one too) at priority 1. Without a
   * zone, or when the zone has no endpoint at all, every locality stays at priority 0: a priority 1 with
   * no priority 0 is sparse, which grpc-java NACKs.
   */
  static ClusterLoadAssignment render(String namespace, String service, Map<String, Endpoint> endpointsById,
      String callerZone) {
    return render(ResourceNames.cluster(namespace, service), endpointsById, callerZone);
  }

  /** As {@link #render(String, String, Map, String)} for the cluster named {@code clusterName} (a service's, or a subset's). */
  static ClusterLoadAssignment render(String clusterName, Map<String, Endpoint> endpointsById, String callerZone) {
    // zone -> (endpoint id -> endpoint); no zone and the empty zone are one locality, since grpc-java
    // NACKs an assignment that names the same locality twice.
    Map<String, Map<String, Endpoint>> byZone = new TreeMap<>();
    endpointsById.forEach((id, endpoint) -> byZone
        .computeIfAbsent(endpoint.zone() == null ? "" : endpoint.zone(), zone -> new TreeMap<>())
        .put(id, endpoint));
    boolean prioritised = prioritises(endpointsById.values(), callerZone);

    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder().setClusterName(clusterName);
    byZone.forEach((zone, endpoints) -> {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
          // grpc-java silently drops a locality without a weight (no NACK, no backends). Equal weights
          // keep Envoy's behaviour unchanged: it ignores them unless locality-weighted LB is on.
          .setLoadBalancingWeight(Protos.uint32(1));
      if (!zone.isEmpty()) {
        locality.setLocality(Locality.newBuilder().setZone(zone));
      }
      if (prioritised && !zone.equals(callerZone)) {
        locality.setPriority(1);
      }
      endpoints.values().forEach(endpoint -> locality.addLbEndpoints(lbEndpoint(endpoint)));
      assignment.addEndpoints(locality);
    });
    return assignment.build();
  }

  /** True when a caller in {@code callerZone} gets two priorities: it has a zone, and that zone has an endpoint. */
  static boolean prioritises(Collection<Endpoint> endpoints, String callerZone) {
    return callerZone != null && endpoints.stream().anyMatch(e -> callerZone.equals(e.zone()));
  }

  private static LbEndpoint lbEndpoint(Endpoint endpoint) {
    LbEndpoint.Builder lb = LbEndpoint.newBuilder()
        .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
            .setAddress(Protos.socketAddress(endpoint.address(), endpoint.port())))
        .setHealthStatus(healthStatus(endpoint.healthOrDefault()))
        .setLoadBalancingWeight(Protos.uint32(1));
    if (endpoint.meshTls()) {
      lb.setMetadata(MESH_TLS);
    }
    return lb.build();
  }

  /**
   * What selects the cluster's mutual TLS socket ({@link ClusterRenderer}) for an endpoint an agent's
   * Envoy fronts: the same for every such endpoint, so the assignment does not depend on the callee's
   * tls.mode (a DISABLED callee's cluster has no socket to match).
   */
  private static final Metadata MESH_TLS = Metadata.newBuilder()
      .putFilterMetadata(MeshTls.SOCKET_MATCH_METADATA, Struct.newBuilder()
          .putFields(MeshTls.ENDPOINT_KEY, Value.newBuilder().setStringValue(MeshTls.ENDPOINT_MESH).build())
          .build())
      .build();

  /** Both Envoy and grpc-java send new requests to HEALTHY (and UNKNOWN) endpoints only. */
  static HealthStatus healthStatus(Health health) {
    return switch (health) {
      case HEALTHY -> HealthStatus.HEALTHY;
      case UNHEALTHY -> HealthStatus.UNHEALTHY;
      case DRAINING -> HealthStatus.DRAINING;
    };
  }
}
