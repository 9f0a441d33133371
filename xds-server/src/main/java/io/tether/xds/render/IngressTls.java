package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.tether.model.AppProtocol;
import io.tether.model.TlsMode;

/**
 * The ingress listener's filter chains for the callee's {@code tls.mode} (docs/security.md): the one
 * chain of filters {@link IngressListenerRenderer} builds, behind mutual TLS (STRICT), behind mutual
 * TLS or in plaintext as the {@code tls_inspector} finds the connection (PERMISSIVE), or in plaintext
 * only (DISABLED). Every chain carries the same filters, so what a call goes through does not depend
 * on how it arrived.
 */
final class IngressTls {
  private IngressTls() {}

  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
  /** Chain names, shown in Envoy's stats and config dump. */
  static final String TLS_CHAIN = "mtls";
  static final String PLAINTEXT_CHAIN = "plaintext";

  /** The chains of {@code service}'s ingress {@code listener}, {@code filters} behind each. */
  static void addChains(Listener.Builder listener, FilterChain.Builder filters, TlsMode mode, TrustDomain domain,
      String service, AppProtocol protocol) {
    switch (mode) {
      case STRICT -> listener.addFilterChains(mtls(filters, domain, service, protocol));
      case PERMISSIVE -> listener
          .addListenerFilters(ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
              .setTypedConfig(Protos.any(TlsInspector.getDefaultInstance())))
          .addFilterChains(mtls(filters, domain, service, protocol)
              .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls")))
          .addFilterChains(filters.clone().setName(PLAINTEXT_CHAIN)
              .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer")));
      case DISABLED -> listener.addFilterChains(filters);
    }
  }

  private static FilterChain.Builder mtls(FilterChain.Builder filters, TrustDomain domain, String service,
      AppProtocol protocol) {
    return filters.clone().setName(TLS_CHAIN).setTransportSocket(MeshTls.downstream(domain, service, protocol));
  }
}
