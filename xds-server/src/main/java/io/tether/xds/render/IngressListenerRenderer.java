package io.tether.xds.render;

import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.tether.model.Timeout;
import java.util.ArrayList;
import java.util.List;
import io.tether.xds.node.ServedService;

/**
 * A served service's ingress listener on all interfaces: the port its endpoints are registered
 * with, where callers' sidecars connect, forwarding to the app through the local cluster; its filter
 * chains are the service's {@code tls.mode} ({@link IngressTls}).
 */
final class IngressListenerRenderer {
  private IngressListenerRenderer() {}

  static final String ANY_ADDRESS = "0.0.0.0";

  static Listener render(ServiceInput in, ServedService served) {
    return render(in, served, IngressAuthorization.NONE);
  }

  /** With the callee's authorization enforced on every call ({@link RbacFilters}). */
  static Listener render(ServiceInput in, ServedService served, IngressAuthorization authz) {
    String service = served.discoveryName();
    String name = ResourceNames.ingressListener(service);
    Timeout timeout = in.policy().timeout();
    FilterChain.Builder chain = FilterChain.newBuilder();
    List<String> exports = in.spec().exports();
    if (in.spec().protocol().isHttp()) {
      // The wall first: a caller of another namespace is refused before any rule of this one is read.
      List<HttpFilter> filters = new ArrayList<>(List.of(NamespaceWall.http(in.namespace(), exports, in.trustDomain())));
      filters.addAll(RbacFilters.http(in.namespace(), authz));
      chain.addFilters(HttpConnectionManagers.networkFilter(TracingRenderer.ingress(HttpConnectionManagers.ingress(
          name, RouteRenderer.ingress(in), timeout, filters), in.namespace(), in.tracing(), service)));
    } else {
      chain.addFilters(NamespaceWall.network(name, in.namespace(), exports, in.trustDomain()))
          .addAllFilters(RbacFilters.network(name, in.namespace(), authz))
          .addFilters(TcpProxies.networkFilter(name, ResourceNames.localCluster(service), timeout));
    }
    Listener.Builder listener = Listener.newBuilder()
        .setName(name)
        .setAddress(Protos.socketAddress(ANY_ADDRESS, served.ingressPort()))
        .setTrafficDirection(TrafficDirection.INBOUND);
    IngressTls.addChains(listener, chain, in.policy().tls().mode(), in.trustDomain(), service,
        in.spec().protocol());
    return listener.build();
  }
}
