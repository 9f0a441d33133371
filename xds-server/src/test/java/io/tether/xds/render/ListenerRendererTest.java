package io.tether.xds.render;

import static io.tether.xds.render.MeshFixture.CACHE;
import static io.tether.xds.render.MeshFixture.LEDGER;
import static io.tether.xds.render.MeshFixture.PAYMENTS;
import static io.tether.xds.render.MeshFixture.QUOTES;
import static io.tether.xds.render.MeshFixture.SEARCH;
import static io.tether.xds.render.Resources.hcm;
import static io.tether.xds.render.Resources.names;
import static io.tether.xds.render.Resources.onlyRoute;
import static io.tether.xds.render.Resources.tcpProxy;
import static io.tether.xds.render.Resources.upstreamOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Envoy egress listeners and their routes, proxyless api_listeners, and ingress. */
class ListenerRendererTest {

  private static ServiceResources envoy(ServiceInput in) {
    return MeshRenderer.service(in, ProxyKind.ENVOY);
  }

  private static ServiceResources proxyless(ServiceInput in) {
    return MeshRenderer.service(in, ProxyKind.GRPC);
  }

  // Envoy egress

  @Test
  void egressListenerBindsTheVipAndTakesItsRouteOverAds() {
    Listener l = envoy(PAYMENTS).listeners().stream()
        .filter(x -> x.getName().equals("egress:payments:8080")).findFirst().orElseThrow();
    assertThat(l.getAddress().getSocketAddress().getAddress()).isEqualTo("127.255.0.1");
    assertThat(l.getAddress().getSocketAddress().getPortValue()).isEqualTo(8080);
    HttpConnectionManager hcm = hcm(l);
    assertThat(hcm.getStatPrefix()).isNotEmpty();
    assertThat(hcm.getCodecType()).isEqualTo(HttpConnectionManager.CodecType.AUTO);
    assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
    assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("payments:8080");
    assertThat(hcm.getHttpFiltersList()).last().satisfies(f -> assertThat(f.getTypedConfig().is(Router.class)).isTrue());
    assertThat(hcm.getCommonHttpProtocolOptions().getIdleTimeout()).isEqualTo(Durations.fromSeconds(120));
    assertThat(hcm.getDrainTimeout()).as("not Envoy's 5 s, added to every idle close")
        .isEqualTo(Durations.fromMillis(100));
    assertThat(hcm.getAccessLogList()).singleElement().satisfies(log -> {
      assertThat(log.getName()).isEqualTo("envoy.access_loggers.stdout");
      assertThat(Resources.unpack(log.getTypedConfig(), StdoutAccessLog.class).getLogFormat().hasJsonFormat()).isTrue();
    });
  }

  @Test
  void anAliasWithoutAVipGetsNoEgressListenerNorRoute() {
    ServiceResources ledger = envoy(LEDGER);
    assertThat(names(ledger.listeners())).containsExactly("egress:ledger:9090");
    assertThat(ledger.routes()).extracting(r -> r.getName()).containsExactly("ledger:9090");
  }

  @Test
  void tcpServiceGetsATcpProxyWithItsIdleTimeoutAndNoRoute() {
    ServiceResources cache = envoy(CACHE);
    assertThat(cache.routes()).isEmpty();
    TcpProxy proxy = tcpProxy(cache.listeners().get(0));
    assertThat(proxy.getCluster()).isEqualTo("cache.prod");
    assertThat(proxy.getIdleTimeout()).isEqualTo(Durations.fromSeconds(3600));
    assertThat(proxy.getStatPrefix()).isNotEmpty();
  }

  @Test
  void routeTimeoutIsThePerRequestTimeoutAndZeroIsWrittenAsNoTimeout() {
    RouteAction payments = onlyRoute(envoy(PAYMENTS).routes().get(0));
    assertThat(payments.getTimeout()).isEqualTo(Durations.fromSeconds(10));
    assertThat(payments.getIdleTimeout()).isEqualTo(Durations.fromSeconds(120));
    assertThat(payments.hasMaxStreamDuration()).as("only gRPC routes").isFalse();
    RouteAction ledger = onlyRoute(envoy(LEDGER).routes().get(0));
    assertThat(ledger.hasTimeout()).as("unset would be Envoy's 15 s").isTrue();
    assertThat(ledger.getTimeout()).isEqualTo(Durations.fromSeconds(0));
  }

  @Test
  void grpcRouteAlsoLimitsTheStreamAndCapsTheCallersGrpcTimeout() {
    RouteAction quotes = onlyRoute(envoy(QUOTES).routes().get(0));
    assertThat(quotes.getMaxStreamDuration().getMaxStreamDuration()).isEqualTo(Durations.fromSeconds(3));
    assertThat(quotes.getMaxStreamDuration().getGrpcTimeoutHeaderMax()).isEqualTo(Durations.fromSeconds(3));
    assertThat(onlyRoute(envoy(SEARCH).routes().get(0)).hasMaxStreamDuration())
        .as("perRequestTimeoutSeconds 0").isFalse();
  }

  @Test
  void numericRetryConditionsBecomeRetriableStatusCodes() {
    RetryPolicy retry = onlyRoute(envoy(PAYMENTS).routes().get(0)).getRetryPolicy();
    assertThat(retry.getRetryOn()).isEqualTo("connect-failure,reset,retriable-status-codes");
    assertThat(retry.getRetriableStatusCodesList()).containsExactly(503, 504);
    assertThat(retry.getNumRetries().getValue()).isEqualTo(3);
    assertThat(retry.getPerTryTimeout()).isEqualTo(Durations.fromMillis(2500));
    assertThat(Durations.toMillis(retry.getRetryBackOff().getBaseInterval())).isEqualTo(25);
    assertThat(Durations.toMillis(retry.getRetryBackOff().getMaxInterval())).isEqualTo(250);
    assertThat(onlyRoute(envoy(QUOTES).routes().get(0)).getRetryPolicy().hasPerTryTimeout())
        .as("perTryTimeoutMs 0").isFalse();
  }

  @Test
  void aPerTryTimeoutMakesATimedOutAttemptRetriable() {
    RetryPolicy retry = RetryPolicyRenderer.envoy(new io.tether.model.RetryPolicy(
        2, List.of("connect-failure", "503"), 300)).orElseThrow();
    assertThat(retry.getRetryOn()).isEqualTo("connect-failure,retriable-status-codes,reset");
    assertThat(RetryPolicyRenderer.envoy(new io.tether.model.RetryPolicy(
        2, List.of("connect-failure", "5xx"), 300)).orElseThrow().getRetryOn())
        .as("5xx already retries a timed-out attempt").isEqualTo("connect-failure,5xx");
    assertThat(RetryPolicyRenderer.envoy(new io.tether.model.RetryPolicy(
        2, List.of("connect-failure", "503"), 0)).orElseThrow().getRetryOn())
        .as("no per-try timeout").isEqualTo("connect-failure,retriable-status-codes");
  }

  @Test
  void noRetriesAllowedMeansNoRetryPolicy() {
    assertThat(onlyRoute(envoy(SEARCH).routes().get(0)).hasRetryPolicy()).isFalse();
    assertThat(onlyRoute(hcm(proxyless(SEARCH).listeners().get(0)).getRouteConfig()).hasRetryPolicy()).isFalse();
  }

  // Proxyless gRPC

  @Test
  void proxylessGetsApiListenersWithInlineRoutesAndNoRouteResources() {
    ServiceResources payments = proxyless(PAYMENTS);
    assertThat(payments.routes()).isEmpty();
    assertThat(names(payments.listeners())).containsExactly("pay:80", "pay", "payments:8080", "payments");
    for (Listener l : payments.listeners()) {
      assertThat(l.hasAddress()).isFalse();
      HttpConnectionManager hcm = hcm(l);
      assertThat(hcm.hasRds()).isFalse();
      assertThat(hcm.getRouteConfig().getVirtualHosts(0).getDomainsList()).containsExactly("*");
      assertThat(hcm.getHttpFiltersList()).singleElement()
          .satisfies(f -> assertThat(f.getTypedConfig().is(Router.class)).isTrue());
      assertThat(onlyRoute(hcm.getRouteConfig()).getCluster()).isEqualTo("payments.prod");
    }
  }

  @Test
  void theBareDnsNameIsServedOnlyWhenItsPortIsTheOnlyOne() {
    assertThat(names(proxyless(LEDGER).listeners()))
        .as("two ports: which one would 'ledger' mean?").containsExactly("ledger:9090", "ledger:9091");
    assertThat(names(proxyless(QUOTES).listeners())).containsExactly("quotes:50051", "quotes");
  }

  @Test
  void proxylessTimeoutIsAMaxStreamDurationAndOnlyWhenThereIsOne() {
    RouteAction quotes = onlyRoute(hcm(proxyless(QUOTES).listeners().get(0)).getRouteConfig());
    assertThat(quotes.getMaxStreamDuration().getMaxStreamDuration()).isEqualTo(Durations.fromSeconds(3));
    assertThat(quotes.getTimeout()).isEqualTo(Durations.fromSeconds(3));
    RouteAction search = onlyRoute(hcm(proxyless(SEARCH).listeners().get(0)).getRouteConfig());
    assertThat(search.hasMaxStreamDuration()).isFalse();
    assertThat(search.hasTimeout()).isFalse();
  }

  @Test
  void proxylessRetriesOnlyOnGrpcStatusesWithAPositiveBackOff() {
    RetryPolicy retry = onlyRoute(hcm(proxyless(QUOTES).listeners().get(0)).getRouteConfig()).getRetryPolicy();
    assertThat(retry.getRetryOn()).isEqualTo("unavailable,resource-exhausted");
    assertThat(retry.getNumRetries().getValue()).isEqualTo(2);
    assertThat(Durations.toMillis(retry.getRetryBackOff().getBaseInterval())).isPositive();
    assertThat(Durations.compare(retry.getRetryBackOff().getMaxInterval(), retry.getRetryBackOff().getBaseInterval()))
        .isGreaterThanOrEqualTo(0);
    assertThat(retry.getRetriableStatusCodesList()).isEmpty();
    // payments retries on connect-failure, reset, 503, 504: nothing grpc-java understands.
    assertThat(onlyRoute(hcm(proxyless(PAYMENTS).listeners().get(0)).getRouteConfig()).hasRetryPolicy()).isFalse();
  }

  @Test
  void aTcpServiceGivesProxylessClientsItsClusterOnly() {
    ServiceResources cache = proxyless(CACHE);
    assertThat(cache.listeners()).isEmpty();
    assertThat(cache.routes()).isEmpty();
    assertThat(cache.cluster().getName()).isEqualTo("cache.prod");
  }

  // Ingress

  @Test
  void ingressListensOnAllInterfacesAndHandsRequestsToTheLocalAppWithoutATimeout() {
    IngressResources ingress = MeshRenderer.ingress(PAYMENTS, new ServedService("payments", 15000, 8080));
    Listener l = ingress.listener();
    assertThat(l.getName()).isEqualTo("ingress:payments");
    assertThat(l.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(l.getAddress().getSocketAddress().getPortValue()).isEqualTo(15000);
    HttpConnectionManager hcm = hcm(l);
    assertThat(hcm.getRouteConfig().getName()).isEqualTo("ingress:payments");
    RouteAction route = onlyRoute(hcm.getRouteConfig());
    assertThat(route.getCluster()).isEqualTo("local:payments");
    assertThat(route.hasTimeout()).isTrue();
    assertThat(route.getTimeout()).isEqualTo(Durations.fromSeconds(0));
    assertThat(hcm.getAccessLogCount()).isEqualTo(1);

    Cluster local = ingress.localCluster();
    assertThat(local.getName()).isEqualTo("local:payments");
    assertThat(local.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    var app = local.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress();
    assertThat(app.getAddress()).isEqualTo("127.0.0.1");
    assertThat(app.getPortValue()).isEqualTo(8080);
    assertThat(Durations.toMillis(local.getConnectTimeout())).isPositive();
  }

  @Test
  void grpcIngressSpeaksHttp2ToTheAppAndTcpIngressProxiesBytes() {
    Cluster quotes = MeshRenderer.ingress(QUOTES, new ServedService("quotes", 15001, 50051)).localCluster();
    assertThat(upstreamOptions(quotes).getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    IngressResources cache = MeshRenderer.ingress(CACHE, new ServedService("cache", 15002, 6379));
    assertThat(tcpProxy(cache.listener()).getCluster()).isEqualTo("local:cache");
    assertThat(cache.localCluster().getTypedExtensionProtocolOptionsMap()).isEmpty();
  }

  @Test
  void ingressRefusesTheSpecOfAnotherService() {
    assertThatThrownBy(() -> MeshRenderer.ingress(PAYMENTS, new ServedService("quotes", 15001, 50051)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quotes");
  }
}
