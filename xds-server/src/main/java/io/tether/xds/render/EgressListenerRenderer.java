package io.tether.xds.render;

import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.tether.model.ClientAlias;
import io.tether.model.Timeout;

/**
 * An Envoy sidecar's listener for one client alias, bound to the alias's VIP and port: the app calls
 * {@code payments:8080}, its hosts file resolves that to the VIP, and this listener takes it from there.
 * The VIP is the registry's, or its re-based copy for a node with a {@code vipRange}; the name is the
 * alias's either way.
 */
final class EgressListenerRenderer {
  private EgressListenerRenderer() {}

  /** HTTP protocols get a connection manager whose route arrives over RDS, tcp a tcp_proxy. */
  static Listener render(ServiceInput in, ClientAlias alias, String address) {
    String name = ResourceNames.egressListener(alias.hostPort());
    Timeout timeout = in.policy().timeout();
    Filter filter = in.spec().protocol().isHttp()
        ? HttpConnectionManagers.networkFilter(TracingRenderer.egress(
            HttpConnectionManagers.egress(name, ResourceNames.route(alias.hostPort()), timeout),
            in.callerNamespace(), in.tracing()))
        : TcpProxies.egress(name, in);
    return Listener.newBuilder()
        .setName(name)
        .setAddress(Protos.socketAddress(address, alias.port()))
        .setTrafficDirection(TrafficDirection.OUTBOUND)
        .addFilterChains(FilterChain.newBuilder().addFilters(filter))
        .build();
  }
}
