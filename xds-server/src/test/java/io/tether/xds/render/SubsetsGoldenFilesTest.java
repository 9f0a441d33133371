package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster.ClusterWeight;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Destination;
import io.tether.model.Endpoint;
import io.tether.model.HeaderMatch;
import io.tether.model.PathMatch;
import io.tether.model.RouteMatch;
import io.tether.model.RouteRule;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.model.Subset;
import io.tether.model.TestTrafficRule;
import io.tether.model.Timeout;
import io.tether.model.Traffic;
import io.tether.xds.node.ProxyKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Canaries (README "Canaries and test traffic") against reviewed files under {@code golden/subsets/}: an
 * http service with two subsets, a 90/10 split and a test traffic rule, as its clusters (one per subset,
 * the service's policy under another name), its Envoy route (RDS), its proxyless api_listener and its
 * subsets' assignments (members only); and a tcp service's split as tcp_proxy weighted clusters. Update as
 * {@link GoldenFilesTest} says.
 */
class SubsetsGoldenFilesTest {
  static final List<Subset> SUBSETS = List.of(new Subset("v1", Map.of("version", "v1")),
      new Subset("v2", Map.of("version", "v2")));
  static final List<Destination> NINETY_TEN = List.of(new Destination(null, "v1", 90), new Destination(null, "v2", 10));

  static final ServiceInput WEB = MeshFixture.input(new ServiceSpec("web", "http", AppProtocol.HTTP,
      List.of(new ClientAlias("web", 8080)), null, new ServicePolicy(new Timeout(120, 10), null, null, null, null, null),
      new Traffic(
          List.of(new RouteRule("beta", new RouteMatch(new PathMatch("/beta/", null, null), null, null, null),
              List.of(new Destination(null, "v2", null)), null, null)),
          SUBSETS, NINETY_TEN,
          List.of(new TestTrafficRule("canary", new HeaderMatch("x-canary", "true", null, null, null, null),
              List.of(new Destination(null, "v2", null)))))),
      Map.of("web:8080", "127.255.0.9"));

  static final ServiceInput CACHE = MeshFixture.input(new ServiceSpec("cache", "redis", AppProtocol.TCP,
      List.of(new ClientAlias("cache", 6379)), null, ServicePolicy.EMPTY,
      new Traffic(List.of(), SUBSETS, List.of(new Destination(null, "v1", 100), new Destination(null, "v2", 0)),
          List.of())),
      Map.of("cache:6379", "127.255.0.6"));

  static final Map<String, Endpoint> ENDPOINTS = Map.of(
      "t1", endpoint("10.0.1.1", "v1"), "t2", endpoint("10.0.1.2", "v2"), "t3", endpoint("10.0.1.3", null));

  static Endpoint endpoint(String address, String version) {
    return new Endpoint(address, 8080, "us-east-1a", null, null, null, Map.of(), null,
        version == null ? Map.of() : Map.of("version", version));
  }

  static Map<String, Message> cases() {
    Map<String, Message> out = new LinkedHashMap<>();
    ServiceResources envoy = MeshRenderer.service(WEB, ProxyKind.ENVOY);
    envoy.clusters().forEach(c -> out.put("envoy.cds." + c.getName(), c));
    out.put("envoy.rds.web_8080", envoy.routes().get(0));
    for (Listener l : MeshRenderer.service(WEB, ProxyKind.GRPC).listeners()) {
      out.put("grpc.lds." + l.getName(), l);
    }
    out.put("grpc.cds.web~v2.prod", MeshRenderer.service(WEB, ProxyKind.GRPC).subsetClusters().get(1));
    for (Subset s : SUBSETS) {
      out.put("eds.web~" + s.name() + ".prod", MeshRenderer.subsetEndpoints(MeshFixture.NS, "web", s, ENDPOINTS));
    }
    out.put("envoy.lds.egress_cache_6379", MeshRenderer.service(CACHE, ProxyKind.ENVOY).listeners().get(0));
    return out;
  }

  @Test
  void servicesWithSubsetsMatchTheReviewedGoldenFiles() throws Exception {
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("subsets"), cases());
  }

  /** Envoy's validation rules hold everywhere; only the proxyless header matcher uses a deprecated field. */
  @Test
  void everyCasePassesEnvoysValidateRules() {
    PgvChecker checker = new PgvChecker(RenderedTypes.typeRegistry());
    cases().forEach((name, resource) -> {
      assertThat(checker.violations(resource)).as(name).isEmpty();
      if (name.startsWith("grpc.lds")) {
        assertThat(checker.deprecated(resource)).as(name)
            .allMatch(d -> d.matches(".*headers\\[\\d+\\]\\.exact_match: field is deprecated"));
      } else {
        assertThat(checker.deprecated(resource)).as(name).isEmpty();
      }
    });
  }

  @Test
  void testTrafficComesFirstThenRoutesThenTheSplitWithEveryWeightKept() throws Exception {
    List<Route> routes = MeshRenderer.service(WEB, ProxyKind.ENVOY).routes().get(0).getVirtualHosts(0).getRoutesList();
    assertThat(routes).extracting(Route::getName).containsExactly("canary", "beta", "");
    assertThat(routes.get(0).getRoute().getCluster()).isEqualTo("web~v2.prod");
    assertThat(routes.get(2).getRoute().getWeightedClusters().getClustersList())
        .extracting(ClusterWeight::getName, w -> w.getWeight().getValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("web~v1.prod", 90),
            org.assertj.core.groups.Tuple.tuple("web~v2.prod", 10));
    TcpProxy cache = MeshRenderer.service(CACHE, ProxyKind.ENVOY).listeners().get(0).getFilterChains(0).getFilters(0)
        .getTypedConfig().unpack(TcpProxy.class);
    assertThat(cache.getWeightedClusters().getClustersList()).extracting(TcpProxy.WeightedCluster.ClusterWeight::getWeight)
        .as("tcp_proxy refuses a 0 weight: left out").containsExactly(100);
  }

  /** A subset's cluster is the service's under another name: same policy, TLS and breakers. */
  @Test
  void aSubsetClusterDiffersFromTheServicesInItsNameOnly() {
    for (ProxyKind kind : ProxyKind.values()) {
      ServiceResources r = MeshRenderer.service(WEB, kind, io.tether.model.VipRange.REGISTRY, true);
      Cluster v2 = r.subsetClusters().get(1);
      assertThat(v2.getName()).isEqualTo("web~v2.prod");
      assertThat(v2.toBuilder().setName("web.prod").setEdsClusterConfig(r.cluster().getEdsClusterConfig()).build())
          .as(kind.name()).isEqualTo(r.cluster());
    }
  }

  @Test
  void aServiceWithoutSubsetsHasOneClusterAndEndpointsInNoSubsetAreInNoSubsetsAssignment() {
    assertThat(MeshRenderer.service(RoutesGoldenFilesTest.WEB, ProxyKind.ENVOY).clusters()).hasSize(1);
    assertThat(MeshRenderer.subsetEndpoints(MeshFixture.NS, "web", SUBSETS.get(0), ENDPOINTS).getEndpoints(0)
        .getLbEndpointsList()).hasSize(1);
  }
}
