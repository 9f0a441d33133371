package io.tether.xds.render;

import static io.tether.xds.render.MeshFixture.CACHE;
import static io.tether.xds.render.MeshFixture.LEDGER;
import static io.tether.xds.render.MeshFixture.NS;
import static io.tether.xds.render.MeshFixture.PAYMENTS;
import static io.tether.xds.render.MeshFixture.QUOTES;
import static io.tether.xds.render.MeshFixture.endpoint;
import static io.tether.xds.render.Resources.upstreamOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.LoadBalancing;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.xds.node.ProxyKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Clusters, ClusterLoadAssignments and determinism; listeners and routes are in ListenerRendererTest. */
class RendererTest {

  private static Cluster cluster(ServiceInput in, ProxyKind kind) {
    return MeshRenderer.service(in, kind).cluster();
  }

  @ParameterizedTest
  @EnumSource(ProxyKind.class)
  void clusterIsEdsOverAdsUnderItsOwnNameAsServiceName(ProxyKind kind) {
    Cluster c = cluster(PAYMENTS, kind);
    assertThat(c.getName()).isEqualTo("payments.prod").isEqualTo(ResourceNames.cluster(NS, "payments"));
    assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(c.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(c.getEdsClusterConfig().getEdsConfig().getResourceApiVersion().name()).isEqualTo("V3");
    assertThat(c.getEdsClusterConfig().getServiceName()).isEqualTo(c.getName());
    assertThat(Durations.toMillis(c.getConnectTimeout())).isPositive();
  }

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  void envoyGetsEveryLoadBalancingPolicyUnderItsOwnName(LoadBalancing lb) {
    assertThat(cluster(withLb(lb), ProxyKind.ENVOY).getLbPolicy().name()).isEqualTo(lb.name());
  }

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  void proxylessNeverGetsAnLbPolicyGrpcJavaWouldNack(LoadBalancing lb) {
    Cluster.LbPolicy policy = cluster(withLb(lb), ProxyKind.GRPC).getLbPolicy();
    assertThat(policy).isIn(Cluster.LbPolicy.ROUND_ROBIN, Cluster.LbPolicy.LEAST_REQUEST, Cluster.LbPolicy.RING_HASH);
    if (lb == LoadBalancing.MAGLEV) {
      assertThat(policy).as("consistent hashing stays consistent hashing").isEqualTo(Cluster.LbPolicy.RING_HASH);
    }
    if (lb == LoadBalancing.RANDOM) {
      assertThat(policy).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    }
  }

  @Test
  void envoyNeverPanicsIntoSendingTrafficToUnhealthyOrDrainingEndpoints() {
    Cluster c = cluster(PAYMENTS, ProxyKind.ENVOY);
    assertThat(c.getCommonLbConfig().hasHealthyPanicThreshold()).isTrue();
    assertThat(c.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isZero();
  }

  @Test
  void envoyAppliesAnEjectionAtOnceInsteadOfMergingHealthChangesForASecond() {
    Cluster.CommonLbConfig lb = cluster(PAYMENTS, ProxyKind.ENVOY).getCommonLbConfig();
    assertThat(lb.hasUpdateMergeWindow()).isTrue();
    assertThat(lb.getUpdateMergeWindow().getSeconds() + lb.getUpdateMergeWindow().getNanos()).isZero();
  }

  @Test
  void circuitBreakersCarryThePolicyAtDefaultPriority() {
    var t = cluster(PAYMENTS, ProxyKind.ENVOY).getCircuitBreakers().getThresholdsList();
    assertThat(t).singleElement().satisfies(th -> {
      assertThat(th.getPriority()).isEqualTo(RoutingPriority.DEFAULT);
      assertThat(th.getMaxConnections().getValue()).isEqualTo(512);
      assertThat(th.getMaxPendingRequests().getValue()).isEqualTo(256);
      assertThat(th.getMaxRequests().getValue()).isEqualTo(2048);
      assertThat(th.getMaxRetries().getValue()).isEqualTo(5);
    });
  }

  @Test
  void envoyEjectsOnConsecutive5xxFromThePolicy() {
    OutlierDetection od = cluster(PAYMENTS, ProxyKind.ENVOY).getOutlierDetection();
    assertThat(od.getConsecutive5Xx().getValue()).isEqualTo(7);
    assertThat(Durations.toMillis(od.getInterval())).isEqualTo(5_000);
    assertThat(Durations.toMillis(od.getBaseEjectionTime())).isEqualTo(15_000);
    assertThat(od.getMaxEjectionPercent().getValue()).isEqualTo(25);
    assertThat(od.hasEnforcingFailurePercentage()).isFalse();
  }

  @Test
  void grpcClientsEjectByFailurePercentageEnforcedAlwaysAndGetNoConsecutive5xx() {
    OutlierDetection od = cluster(PAYMENTS, ProxyKind.GRPC).getOutlierDetection();
    assertThat(od.hasConsecutive5Xx()).as("grpc-java ignores consecutive_5xx").isFalse();
    assertThat(od.getEnforcingFailurePercentage().getValue()).isEqualTo(100);
    assertThat(od.getFailurePercentageThreshold().getValue()).isBetween(1, 99);
    assertThat(od.getFailurePercentageMinimumHosts().getValue()).isBetween(1, 2);
    assertThat(od.getFailurePercentageRequestVolume().getValue()).isEqualTo(7);
    assertThat(Durations.toMillis(od.getInterval())).isEqualTo(5_000);
    assertThat(Durations.toMillis(od.getBaseEjectionTime())).isEqualTo(15_000);
    assertThat(od.getMaxEjectionPercent().getValue()).isEqualTo(25);
  }

  @ParameterizedTest
  @EnumSource(ProxyKind.class)
  void http2AndGrpcGoUpstreamAsHttp2AndHttpAsHttp1WithTheIdleTimeout(ProxyKind kind) {
    var payments = upstreamOptions(cluster(PAYMENTS, kind));
    assertThat(payments.getExplicitHttpConfig().hasHttpProtocolOptions()).isTrue();
    assertThat(payments.getCommonHttpProtocolOptions().getIdleTimeout()).isEqualTo(Durations.fromSeconds(120));
    assertThat(upstreamOptions(cluster(QUOTES, kind)).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    var ledger = upstreamOptions(cluster(LEDGER, kind));
    assertThat(ledger.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    assertThat(ledger.getCommonHttpProtocolOptions().hasIdleTimeout())
        .as("0 must be written: unset is Envoy's 1 h").isTrue();
    assertThat(ledger.getCommonHttpProtocolOptions().getIdleTimeout()).isEqualTo(Durations.fromSeconds(0));
    assertThat(cluster(CACHE, kind).getTypedExtensionProtocolOptionsMap()).as("tcp").isEmpty();
  }

  @Test
  void aPolicyWithGapsIsCompletedWithServiceConnectDefaults() {
    ServiceInput bare = new ServiceInput(NS, PAYMENTS.spec(), ServicePolicy.EMPTY, PAYMENTS.vips());
    Cluster c = cluster(bare, ProxyKind.ENVOY);
    assertThat(c.getOutlierDetection().getConsecutive5Xx().getValue()).isEqualTo(5);
    assertThat(c.getCircuitBreakers().getThresholds(0).getMaxRequests().getValue()).isEqualTo(1024);
  }

  // ClusterLoadAssignments

  @Test
  void everyLocalityHasAWeightOrGrpcJavaDropsIt() {
    for (Map<String, Endpoint> byId : MeshFixture.endpoints().values()) {
      for (LocalityLbEndpoints l : MeshRenderer.endpoints(NS, "x", byId).getEndpointsList()) {
        assertThat(l.hasLoadBalancingWeight()).isTrue();
        assertThat(l.getLoadBalancingWeight().getValue()).isGreaterThanOrEqualTo(1);
        l.getLbEndpointsList().forEach(e -> assertThat(e.getLoadBalancingWeight().getValue()).isGreaterThanOrEqualTo(1));
      }
    }
  }

  @Test
  void endpointsAreGroupedByZoneInOrderWithTheirHealth() {
    ClusterLoadAssignment cla = MeshRenderer.endpoints(NS, "payments", MeshFixture.endpoints().get("payments"));
    assertThat(cla.getClusterName()).isEqualTo("payments.prod");
    assertThat(cla.getEndpointsList()).extracting(l -> l.getLocality().getZone()).containsExactly("", "zone-a", "zone-b");
    assertThat(cla.getEndpoints(0).hasLocality()).as("no zone, no locality").isFalse();
    assertThat(statuses(cla.getEndpoints(1))).containsExactly(HealthStatus.HEALTHY, HealthStatus.DRAINING);
    assertThat(statuses(cla.getEndpoints(2)))
        .as("UNHEALTHY, then null health read as HEALTHY").containsExactly(HealthStatus.UNHEALTHY, HealthStatus.HEALTHY);
    var address = cla.getEndpoints(1).getLbEndpoints(1).getEndpoint().getAddress().getSocketAddress();
    assertThat(address.getAddress()).isEqualTo("10.0.1.11");
    assertThat(address.getPortValue()).isEqualTo(15000);
  }

  @Test
  void noZoneAndTheEmptyZoneAreOneLocalityNotTwo() {
    ClusterLoadAssignment cla = MeshRenderer.endpoints(NS, "s", Map.of(
        "a", endpoint("10.0.0.1", 1, null, Health.HEALTHY),
        "b", endpoint("10.0.0.2", 1, "", Health.HEALTHY)));
    assertThat(cla.getEndpointsList()).singleElement().satisfies(l -> assertThat(l.getLbEndpointsCount()).isEqualTo(2));
  }

  @Test
  void aServiceWithoutEndpointsStillGetsAnAssignment() {
    ClusterLoadAssignment cla = MeshRenderer.endpoints(NS, "search", Map.of());
    assertThat(cla.getClusterName()).isEqualTo("search.prod");
    assertThat(cla.getEndpointsList()).isEmpty();
  }

  // Determinism

  @Test
  void equalEndpointsGiveByteEqualAssignmentsWhateverTheMapOrder() {
    Map<String, Endpoint> hashed = MeshFixture.endpoints().get("payments");
    List<String> ids = new ArrayList<>(new TreeMap<>(hashed).keySet());
    Collections.reverse(ids);
    Map<String, Endpoint> reversed = new LinkedHashMap<>();
    ids.forEach(id -> reversed.put(id, hashed.get(id)));
    assertThat(MeshRenderer.endpoints(NS, "payments", reversed).toByteArray())
        .isEqualTo(MeshRenderer.endpoints(NS, "payments", new TreeMap<>(hashed)).toByteArray());
  }

  @ParameterizedTest
  @EnumSource(ProxyKind.class)
  void equalServicesGiveByteEqualResourcesAndAliasOrderDoesNotMatter(ProxyKind kind) {
    List<ClientAlias> reversed = new ArrayList<>(PAYMENTS.spec().clientAliases());
    Collections.reverse(reversed);
    ServiceSpec s = PAYMENTS.spec();
    ServiceInput reordered = MeshFixture.input(MeshFixture.spec(s.discoveryName(), s.appProtocol(), reversed,
        s.policy().timeout(), s.policy().retryPolicy(), s.policy().outlierDetection(), s.policy().circuitBreakers(),
        s.policy().loadBalancing()), PAYMENTS.vips());
    assertThat(reordered.spec().clientAliases()).isNotEqualTo(PAYMENTS.spec().clientAliases());

    ServiceResources a = MeshRenderer.service(PAYMENTS, kind);
    ServiceResources b = MeshRenderer.service(reordered, kind);
    assertThat(b).isEqualTo(a);
    assertThat(b.cluster().toByteArray()).isEqualTo(a.cluster().toByteArray());
    for (int i = 0; i < a.listeners().size(); i++) {
      assertThat(b.listeners().get(i).toByteArray()).isEqualTo(a.listeners().get(i).toByteArray());
    }
  }

  private static List<HealthStatus> statuses(LocalityLbEndpoints locality) {
    return locality.getLbEndpointsList().stream().map(LbEndpoint::getHealthStatus).toList();
  }

  private static ServiceInput withLb(LoadBalancing lb) {
    ServiceSpec s = PAYMENTS.spec();
    return MeshFixture.input(MeshFixture.spec("svc", AppProtocol.HTTP, s.clientAliases(), null, null, null, null, lb),
        PAYMENTS.vips());
  }
}
