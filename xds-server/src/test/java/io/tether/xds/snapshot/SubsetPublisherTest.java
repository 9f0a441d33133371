package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.model.Destination;
import io.tether.model.ServiceSpec;
import io.tether.model.Subset;
import io.tether.model.Traffic;
import io.tether.xds.cache.GroupSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Canaries as the publisher serves them (README "Canaries and test traffic"): each subset's assignment is
 * versioned by its members, so an endpoint change outside a subset pushes nothing for it; clusters and
 * Envoy's listeners are versioned by the spec without its routing, so a weight change is a new version of
 * the Envoy route (RDS) only, and of the api_listeners (LDS, routes inline) only for proxyless clients.
 */
class SubsetPublisherTest extends PublisherFixture {
  private static final String V1 = "web~v1.ns";
  private static final String V2 = "web~v2.ns";

  private static ServiceSpec web(int v1, int v2) {
    ServiceSpec plain = Registry.httpSpec("web");
    return new ServiceSpec("web", plain.portName(), plain.appProtocol(), plain.clientAliases(), null, plain.policy(),
        new Traffic(List.of(), List.of(new Subset("v1", Map.of("version", "v1")), new Subset("v2", Map.of("version", "v2"))),
            List.of(new Destination(null, "v1", v1), new Destination(null, "v2", v2)), List.of()));
  }

  private void startWithACanary() throws Exception {
    startWithWebAndApi(SIDECAR, GRPC);
    view.putSpec("ns", web(90, 10));
    view.putVip("ns", "web:8080", "127.255.0.1");
    view.putEndpoint("ns", "web", "10.0.0.5", Map.of("version", "v1"));
    view.putEndpoint("ns", "web", "10.0.0.3", Map.of("version", "v2"));
    publisher.awaitIdle();
  }

  @Test
  void aWeightChangeIsANewRouteForEnvoyAndNewApiListenersForProxylessClientsAndNothingElse() throws Exception {
    // SIDECAR serves web too: its ingress is rendered from the spec without routing, so it stays.
    startWithACanary();
    GroupSnapshot envoy = served(SIDECAR);
    GroupSnapshot grpc = served(GRPC);
    assertThat(envoy.of(ResourceType.CLUSTER).resources()).containsKeys(WEB, V1, V2);
    assertThat(grpc.of(ResourceType.ENDPOINT).resources()).containsKeys(WEB, V1, V2);

    view.putSpec("ns", web(50, 50));
    publisher.awaitIdle();
    assertThat(changedNames(envoy, served(SIDECAR))).containsExactly(ResourceType.ROUTE + " web:8080");
    assertThat(changedNames(grpc, served(GRPC))).containsExactlyInAnyOrder(ResourceType.LISTENER + " web:8080",
        ResourceType.LISTENER + " web");
  }

  @Test
  void anEndpointChangeOutsideASubsetLeavesThatSubsetsAssignmentAlone() throws Exception {
    startWithACanary();
    GroupSnapshot before = served(SIDECAR);
    assertThat(claSize(before, V1)).isEqualTo(1);
    assertThat(claSize(before, V2)).isEqualTo(1);
    assertThat(claSize(before, WEB)).as("the whole service: its unlabelled endpoint too").isEqualTo(3);

    view.putEndpoint("ns", "web", "10.0.0.4", Map.of("version", "v1"));
    publisher.awaitIdle();
    GroupSnapshot after = served(SIDECAR);
    assertThat(changedNames(before, after)).containsExactlyInAnyOrder(ResourceType.ENDPOINT + " " + WEB,
        ResourceType.ENDPOINT + " " + V1);
    assertThat(claSize(after, V1)).isEqualTo(2);
  }

  @Test
  void droppingTheCanaryRemovesItsClustersAndAssignments() throws Exception {
    startWithACanary();
    view.putSpec("ns", Registry.httpSpec("web"));
    publisher.awaitIdle();
    assertThat(served(SIDECAR).of(ResourceType.CLUSTER).resources()).containsKey(WEB).doesNotContainKeys(V1, V2);
    assertThat(served(GRPC).of(ResourceType.ENDPOINT).resources()).containsKey(WEB).doesNotContainKeys(V1, V2);
  }

  private static int claSize(GroupSnapshot s, String name) {
    var cla = (io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment) s.of(ResourceType.ENDPOINT).resources()
        .get(name).resource();
    return cla.getEndpointsList().stream().mapToInt(l -> l.getLbEndpointsCount()).sum();
  }
}
