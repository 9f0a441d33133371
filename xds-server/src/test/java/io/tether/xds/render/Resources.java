package io.tether.xds.render;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/** Opens rendered resources for assertions: the typed configs inside, the one route of a route config. */
final class Resources {
  private Resources() {}

  static HttpConnectionManager hcm(Listener listener) {
    if (listener.hasApiListener()) {
      return unpack(listener.getApiListener().getApiListener(), HttpConnectionManager.class);
    }
    return unpack(listener.getFilterChains(0).getFilters(0).getTypedConfig(), HttpConnectionManager.class);
  }

  /** The tcp_proxy: the last network filter (an ingress has the namespace wall and any rules before it). */
  static TcpProxy tcpProxy(Listener listener) {
    var chain = listener.getFilterChains(0);
    return unpack(chain.getFilters(chain.getFiltersCount() - 1).getTypedConfig(), TcpProxy.class);
  }

  static HttpProtocolOptions upstreamOptions(Cluster cluster) {
    return unpack(cluster.getTypedExtensionProtocolOptionsOrThrow(UpstreamProtocolOptions.KEY), HttpProtocolOptions.class);
  }

  static RouteAction onlyRoute(RouteConfiguration config) {
    return config.getVirtualHosts(0).getRoutes(0).getRoute();
  }

  static List<String> names(List<Listener> listeners) {
    return listeners.stream().map(Listener::getName).toList();
  }

  static <T extends Message> T unpack(com.google.protobuf.Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a " + type.getSimpleName() + ": " + any.getTypeUrl(), e);
    }
  }
}
