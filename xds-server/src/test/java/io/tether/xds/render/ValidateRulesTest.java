package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.UInt64Value;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.common.matcher.v3.Matcher;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.TlvEntry;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.bandwidth_limit.v3.BandwidthLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.type.v3.Percent;
import io.tether.model.AppProtocol;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.LoadBalancing;
import io.tether.xds.node.ProxyKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every rendered resource passes the protoc-gen-validate rules of Envoy's protos (which Envoy enforces
 * on every resource: a violation is a NACK) and uses no deprecated field. The checker is proven
 * first: each kind of rule catches a resource that breaks it.
 */
class ValidateRulesTest {
  private final PgvChecker checker = new PgvChecker(RenderedTypes.typeRegistry());

  @ParameterizedTest
  @EnumSource(ProxyKind.class)
  void everyRenderedResourcePassesEnvoysValidateRules(ProxyKind kind) {
    Map<String, Message> resources = MeshFixture.render(kind);
    assertThat(resources).hasSizeGreaterThan(kind == ProxyKind.ENVOY ? 20 : 12);
    resources.forEach((key, resource) ->
        assertThat(checker.violations(resource)).as(key).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(ProxyKind.class)
  void noRenderedResourceUsesADeprecatedField(ProxyKind kind) {
    MeshFixture.render(kind).forEach((key, resource) ->
        assertThat(checker.deprecated(resource)).as(key).isEmpty());
  }

  @Test
  void theFixtureCoversEveryProtocolLoadBalancingPolicyAndHealth() {
    // Otherwise a new enum value would pass the checks above without ever being rendered.
    assertThat(MeshFixture.SERVICES).extracting(s -> s.spec().protocol())
        .containsAll(List.of(AppProtocol.values()));
    assertThat(MeshFixture.SERVICES).extracting(s -> s.policy().loadBalancing())
        .containsAll(List.of(LoadBalancing.values()));
    assertThat(MeshFixture.endpoints().values().stream().flatMap(m -> m.values().stream()))
        .extracting(Endpoint::health).contains(Health.values()).contains((Health) null);
    assertThat(MeshFixture.SERVED).extracting(s -> s.discoveryName()).contains("payments", "quotes", "cache");
  }

  @Test
  void theWalkReachesIntoRenderedResourcesTypedConfigs() {
    // Break a rendered listener deep inside: the route's cluster name in the api_listener's inline route.
    Listener rendered = MeshRenderer.service(MeshFixture.QUOTES, ProxyKind.GRPC).listeners().get(0);
    HttpConnectionManager hcm = Resources.hcm(rendered);
    HttpConnectionManager broken = hcm.toBuilder()
        .setRouteConfig(hcm.getRouteConfig().toBuilder().setVirtualHosts(0,
            hcm.getRouteConfig().getVirtualHosts(0).toBuilder().setRoutes(0,
                hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).toBuilder()
                    .setRoute(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().toBuilder().setCluster("")))))
        .build();
    Listener bad = rendered.toBuilder()
        .setApiListener(rendered.getApiListener().toBuilder().setApiListener(Any.pack(broken)))
        .build();
    assertThat(checker.violations(rendered)).isEmpty();
    assertThat(checker.violations(bad)).containsExactly(
        "Listener.api_listener.api_listener<HttpConnectionManager>.route_config.virtual_hosts[0].routes[0].route.cluster:"
            + " '' needs at least 1 characters");
  }

  // The checker, proven on resources that break one rule each.

  @Test
  void checkerRejectsAClusterWithoutAName() {
    Cluster cluster = Cluster.newBuilder().setConnectTimeout(Durations.fromSeconds(1)).build();
    assertThat(checker.violations(cluster)).containsExactly("Cluster.name: '' needs at least 1 characters");
  }

  @Test
  void checkerUnpacksTypedConfigAndFindsAConnectionManagerWithoutStatPrefixOrRoutes() {
    Listener listener = listenerWith(HttpConnectionManager.newBuilder()
        .setRds(Rds.getDefaultInstance())
        .build());
    assertThat(checker.violations(listener)).containsExactlyInAnyOrder(
        "Listener.filter_chains[0].filters[0].typed_config<HttpConnectionManager>.stat_prefix: '' needs at least 1 characters",
        "Listener.filter_chains[0].filters[0].typed_config<HttpConnectionManager>.rds.config_source: is required");

    Listener noRoutes = listenerWith(HttpConnectionManager.newBuilder().setStatPrefix("x").build());
    assertThat(checker.violations(noRoutes)).containsExactly(
        "Listener.filter_chains[0].filters[0].typed_config<HttpConnectionManager>: oneof route_specifier is required");
  }

  @Test
  void checkerReportsAnAnyItCannotOpenRatherThanSkippingIt() {
    PgvChecker blind = new PgvChecker(TypeRegistry.getEmptyTypeRegistry());
    Listener listener = listenerWith(HttpConnectionManager.newBuilder().setStatPrefix("x").build());
    assertThat(blind.violations(listener)).singleElement().asString()
        .contains("does not know: type.googleapis.com/")
        .endsWith("http_connection_manager.v3.HttpConnectionManager");
  }

  @Test
  void checkerAppliesNumericRangesToScalarsAndWrappers() {
    assertThat(checker.violations(Percent.newBuilder().setValue(150).build()))
        .containsExactly("Percent.value: 150.0 must be >= 0.0 and <= 100.0");
    // A uint32 with lte 65535 on a socket address port.
    assertThat(checker.violations(Protos.socketAddress("10.0.0.1", 70000)))
        .containsExactly("Address.socket_address.port_value: 70000 must be <= 65535");
    // An unsigned wrapper (UInt64Value gte 1), an int32 gt 0 left at zero, an int64 gt 0 below it.
    assertThat(checker.violations(BandwidthLimit.newBuilder().setStatPrefix("b")
        .setLimitKbps(UInt64Value.of(0)).build()))
        .containsExactly("BandwidthLimit.limit_kbps: 0 must be >= 1");
    assertThat(checker.violations(PreviousPrioritiesConfig.getDefaultInstance()))
        .containsExactly("PreviousPrioritiesConfig.update_frequency: 0 must be > 0");
    assertThat(checker.violations(DownstreamConnectionsConfig.newBuilder().setMaxActiveDownstreamConnections(-3).build()))
        .containsExactly("DownstreamConnectionsConfig.max_active_downstream_connections: -3 must be > 0");
  }

  @Test
  void checkerAppliesDurationEnumRepeatedMapBytesAndAnyRules() {
    Cluster cluster = Cluster.newBuilder().setName("c")
        .setConnectTimeout(Durations.fromSeconds(0))
        .setLbPolicyValue(99)
        .build();
    assertThat(checker.violations(cluster)).containsExactlyInAnyOrder(
        "Cluster.connect_timeout: duration 0 ns must be > 0 (ns)",
        "Cluster.lb_policy: 99 is not a defined value of envoy.config.cluster.v3.Cluster.LbPolicy");

    assertThat(checker.violations(VirtualHost.newBuilder().setName("v").build()))
        .containsExactly("VirtualHost.domains: needs at least 1 items, has 0");
    assertThat(checker.violations(Matcher.MatcherTree.MatchMap.getDefaultInstance()))
        .containsExactly("MatchMap.map: needs at least 1 pairs, has 0");
    assertThat(checker.violations(TlvEntry.newBuilder().setType(1).setValue(ByteString.EMPTY).build()))
        .containsExactly("TlvEntry.value: 0 bytes needs at least 1");
    assertThat(checker.violations(TypedExtensionConfig.newBuilder().setName("x").build()))
        .containsExactly("TypedExtensionConfig.typed_config: is required");
  }

  @Test
  void checkerAppliesWellKnownStringFormatsStrictLooseAndIgnoreEmpty() {
    // Strict header name (the default): no spaces.
    assertThat(checker.violations(UpstreamHttpProtocolOptions.newBuilder().setOverrideAutoSniHeader("bad header").build()))
        .containsExactly("UpstreamHttpProtocolOptions.override_auto_sni_header: 'bad header' must be a valid HTTP_HEADER_NAME");
    assertThat(checker.violations(UpstreamHttpProtocolOptions.newBuilder().setOverrideAutoSniHeader("").build()))
        .as("ignore_empty").isEmpty();
    // strict: false only forbids NUL, CR and LF.
    assertThat(checker.violations(HeaderValue.newBuilder().setKey("loose header").setValue("ok").build())).isEmpty();
    assertThat(checker.violations(HeaderValue.newBuilder().setKey("bad\nheader").setValue("ok").build()))
        .singleElement().asString().startsWith("HeaderValue.key: 'bad\nheader' must be a valid HTTP_HEADER_NAME");
  }

  @Test
  @SuppressWarnings("deprecation") // the point: a deprecated field, set on purpose
  void checkerFindsDeprecatedFields() {
    Cluster cluster = Cluster.newBuilder().setName("c")
        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())
        .build();
    assertThat(checker.deprecated(cluster)).containsExactly("Cluster.http2_protocol_options: field is deprecated");
    assertThat(checker.violations(cluster)).isEmpty();
  }

  private static Listener listenerWith(HttpConnectionManager hcm) {
    return Listener.newBuilder().setName("l")
        .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(hcm))))
        .build();
  }
}
