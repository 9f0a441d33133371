package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.tether.model.Destination;
import io.tether.model.HashOn;
import io.tether.model.Timeout;
import java.util.List;

/** The tcp_proxy filter of tcp services' listeners: bytes to one cluster (or a weighted split), closed when idle. */
final class TcpProxies {
  private TcpProxies() {}

  static final String NETWORK_FILTER = "envoy.filters.network.tcp_proxy";

  static Filter networkFilter(String listenerName, String cluster, Timeout timeout) {
    return networkFilter(listenerName, cluster, timeout, null);
  }

  /**
   * The egress of a tcp service: to its cluster, or to its split's clusters by weight, with its hash key if
   * it hashes. 0-weight entries are left out: tcp_proxy refuses (NACKs) a weight below 1, and an Envoy keeps
   * every cluster CDS gives it warm, used or not (only proxyless clients, which have no tcp, subscribe by route).
   */
  static Filter egress(String listenerName, ServiceInput in) {
    List<Destination> split = in.spec().traffic().split();
    if (split.isEmpty()) {
      return networkFilter(listenerName, ResourceNames.cluster(in.namespace(), in.spec().discoveryName()),
          in.policy().timeout(), in.policy().hashOn());
    }
    TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
    for (Destination d : split.stream().filter(d -> d.weightOrAll() > 0).toList()) {
      weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
          .setName(RouteDestinations.cluster(in, d)).setWeight(d.weightOrAll()));
    }
    return filter(proxy(listenerName, in.policy().timeout(), in.policy().hashOn()).setWeightedClusters(weighted));
  }

  /** With the hash key of a hashing service's egress (tcp_proxy hashes on the source address only). */
  static Filter networkFilter(String listenerName, String cluster, Timeout timeout, HashOn hashOn) {
    return filter(proxy(listenerName, timeout, hashOn).setCluster(cluster));
  }

  /** Fields in the order they always had, the cluster (or weighted clusters) set by the caller. */
  private static TcpProxy.Builder proxy(String listenerName, Timeout timeout, HashOn hashOn) {
    TcpProxy.Builder proxy = TcpProxy.newBuilder()
        .setStatPrefix(Protos.statPrefix(listenerName))
        // Unset would be Envoy's 1 h; 0 s disables, as the registry's 0 means.
        .setIdleTimeout(TimeoutPolicy.idleTimeout(timeout))
        .addAccessLog(AccessLogs.tcp(listenerName));
    HashPolicyRenderer.tcp(hashOn).ifPresent(proxy::addHashPolicy);
    return proxy;
  }

  private static Filter filter(TcpProxy.Builder proxy) {
    return Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Protos.any(proxy.build())).build();
  }
}
