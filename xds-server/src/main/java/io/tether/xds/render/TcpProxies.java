package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.tether.registry.model.Timeout;

/** The tcp_proxy filter of tcp services' listeners: bytes to one cluster, closed when idle. */
final class TcpProxies {
  private TcpProxies() {}

  static final String NETWORK_FILTER = "envoy.filters.network.tcp_proxy";

  static Filter networkFilter(String listenerName, String cluster, Timeout timeout) {
    TcpProxy proxy = TcpProxy.newBuilder()
        .setStatPrefix(Protos.statPrefix(listenerName))
        .setCluster(cluster)
        // Unset would be Envoy's 1 h; 0 s disables, as the registry's 0 means.
        .setIdleTimeout(TimeoutPolicy.idleTimeout(timeout))
        .addAccessLog(AccessLogs.tcp(listenerName))
        .build();
    return Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Protos.any(proxy)).build();
  }
}
