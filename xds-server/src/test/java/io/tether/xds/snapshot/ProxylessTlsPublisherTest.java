package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.tether.xds.node.GroupKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proxyless clients with the {@code tether} certificate provider get clusters of their own: mutual TLS
 * while every endpoint is fronted by an agent's Envoy, plaintext otherwise (docs/security.md "Proxyless
 * gRPC"), and an endpoint change re-renders their cluster only when it turns that on or off.
 */
class ProxylessTlsPublisherTest extends PublisherFixture {
  private static final GroupKey CERTS = GroupKey.grpcWithCertificates("ns");

  @Test
  void onlyTheGroupWithCertificatesGetsTlsAndOnlyWhileEveryEndpointIsFronted() throws Exception {
    startWithWebAndApi(GRPC, CERTS);
    view.putEndpoints("ns", "web", List.of("10.0.0.5", "10.0.0.6"), List.of());
    publisher.awaitIdle();
    assertThat(cluster(CERTS, WEB).hasTransportSocket()).isTrue();
    assertThat(cluster(GRPC, WEB).hasTransportSocket()).as("no provider: plaintext").isFalse();
    assertThat(cluster(CERTS, API).hasTransportSocket()).as("api's endpoint is registered directly").isFalse();

    view.putEndpoints("ns", "web", List.of("10.0.0.5"), List.of("10.0.0.7"));
    publisher.awaitIdle();
    assertThat(cluster(CERTS, WEB).hasTransportSocket()).as("one direct endpoint: plaintext").isFalse();
  }

  @Test
  void anEndpointChangeThatKeepsTlsAsItWasLeavesTheClusterAlone() throws Exception {
    startWithWebAndApi(GRPC, CERTS);
    view.putEndpoints("ns", "web", List.of("10.0.0.5"), List.of());
    publisher.awaitIdle();
    var before = served(CERTS);
    view.putEndpoints("ns", "web", List.of("10.0.0.5", "10.0.0.6"), List.of());
    publisher.awaitIdle();
    assertThat(changedNames(before, served(CERTS))).containsExactly("ENDPOINT " + WEB);
    assertThat(cluster(CERTS, WEB).hasTransportSocket()).isTrue();
  }

  private Cluster cluster(GroupKey group, String name) throws Exception {
    return (Cluster) served(group).of(ResourceType.CLUSTER).resources().get(name).resource();
  }
}
