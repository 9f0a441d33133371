package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.tether.model.HashOn;
import io.tether.model.Timeout;

/** The tcp_proxy filter of tcp services' listeners: bytes to one cluster, closed when idle. */
final class TcpProxies {
  private TcpProxies() {}

  static final String NETWORK_FILTER = "envoy.filters.network.tcp_proxy";

  static Filter networkFilter(String listenerName, String cluster, Timeout timeout) {
    return networkFilter(listenerName, cluster, timeout, null);
  }

  /** With the hash key of a hashing service's egress (tcp_proxy hashes on the source address only). */
  static Filter networkFilter(String listenerName, String cluster, Timeout timeout, HashOn hashOn) {
    TcpProxy.Builder proxy = TcpProxy.newBuilder()
        .setStatPrefix(Protos.statPrefix(listenerName))
        .setCluster(cluster)
        // Unset would be Envoy's 1 h; 0 s disables, as the registry's 0 means.
        .setIdleTimeout(TimeoutPolicy.idleTimeout(timeout))
        .addAccessLog(AccessLogs.tcp(listenerName));
    HashPolicyRenderer.tcp(hashOn).ifPresent(proxy::addHashPolicy);
    return Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Protos.any(proxy.build())).build();
  }
}
