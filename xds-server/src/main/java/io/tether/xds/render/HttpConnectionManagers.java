package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.CodecType;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.tether.registry.model.Timeout;

/** The HTTP connection managers of Envoy listeners and proxyless api_listeners. */
final class HttpConnectionManagers {
  private HttpConnectionManagers() {}

  static final String NETWORK_FILTER = "envoy.filters.network.http_connection_manager";
  static final String ROUTER = "envoy.filters.http.router";

  /**
   * The router, the one filter every chain ends with. grpc-java NACKs a connection manager whose
   * filters do not end with it ("Missing HttpFilter").
   */
  static HttpFilter router() {
    return HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Protos.any(Router.getDefaultInstance())).build();
  }

  /** An Envoy egress listener's: routes over RDS (ADS), so a policy change does not drain the listener. */
  static HttpConnectionManager egress(String listenerName, String routeName, Timeout timeout) {
    return sidecar(listenerName, timeout)
        .setRds(Rds.newBuilder().setConfigSource(Protos.ads()).setRouteConfigName(routeName))
        .build();
  }

  /** An Envoy ingress listener's: its one route is inline, it never changes with policy. */
  static HttpConnectionManager ingress(String listenerName, RouteConfiguration route, Timeout timeout) {
    return sidecar(listenerName, timeout).setRouteConfig(route).build();
  }

  /**
   * A proxyless client's: the route inline (grpc-java would otherwise make one more round trip for
   * RDS), the router filter alone. Nothing else, since grpc-java reads nothing else here but
   * rejects a few fields it does not support.
   */
  static HttpConnectionManager proxyless(String listenerName, RouteConfiguration route) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(Protos.statPrefix(listenerName))
        .setRouteConfig(route)
        .addHttpFilters(router())
        .build();
  }

  static Filter networkFilter(HttpConnectionManager hcm) {
    return Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Protos.any(hcm)).build();
  }

  /**
   * AUTO codec: HTTP/1.1 or HTTP/2 prior knowledge (h2c), whichever the app speaks; gRPC apps speak
   * h2c to the VIP. The idle timeout closes downstream connections without streams.
   */
  private static HttpConnectionManager.Builder sidecar(String listenerName, Timeout timeout) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(Protos.statPrefix(listenerName))
        .setCodecType(CodecType.AUTO)
        .addHttpFilters(router())
        .setCommonHttpProtocolOptions(TimeoutPolicy.connectionIdle(timeout))
        .addAccessLog(AccessLogs.http(listenerName));
  }
}
