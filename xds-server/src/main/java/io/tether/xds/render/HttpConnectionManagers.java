package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.CodecType;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.tether.model.Timeout;

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
    return ingress(listenerName, route, timeout, java.util.List.of());
  }

  /** With {@code beforeRouter} (the callee's RBAC filters, {@link RbacFilters}) ahead of the router. */
  static HttpConnectionManager ingress(String listenerName, RouteConfiguration route, Timeout timeout,
      java.util.List<HttpFilter> beforeRouter) {
    HttpConnectionManager.Builder hcm = sidecar(listenerName, timeout).setRouteConfig(route);
    for (int i = 0; i < beforeRouter.size(); i++) {
      hcm.addHttpFilters(i, beforeRouter.get(i));
    }
    return hcm.build();
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
   * How long a draining downstream connection still takes new streams before Envoy closes it (its
   * final GOAWAY for HTTP/2). Envoy drains a connection that reaches the idle timeout, HTTP/1.1 too,
   * and its default grace is 5 s: an idle timeout of 1 s closed connections after 7 s (1 s idle, 5 s
   * grace, 1 s delayed close). The grace only covers a stream racing the drain notice, which between
   * an app and its sidecar (or two sidecars) takes far less than this; a racing stream refused after
   * it is retried by clients as never processed.
   */
  static final com.google.protobuf.Duration DRAIN_GRACE = Protos.millis(100);

  /**
   * AUTO codec: HTTP/1.1 or HTTP/2 prior knowledge (h2c), whichever the app speaks; gRPC apps speak
   * h2c to the VIP. The idle timeout closes downstream connections without streams, after the
   * {@link #DRAIN_GRACE}.
   */
  private static HttpConnectionManager.Builder sidecar(String listenerName, Timeout timeout) {
    return HttpConnectionManager.newBuilder()
        .setStatPrefix(Protos.statPrefix(listenerName))
        .setCodecType(CodecType.AUTO)
        .addHttpFilters(router())
        .setCommonHttpProtocolOptions(TimeoutPolicy.connectionIdle(timeout))
        .setDrainTimeout(DRAIN_GRACE)
        .addAccessLog(AccessLogs.http(listenerName));
  }
}
