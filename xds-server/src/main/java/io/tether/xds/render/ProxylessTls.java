package io.tether.xds.render;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * The mesh's mutual TLS for proxyless gRPC clients (docs/security.md "Proxyless gRPC"): the client's
 * certificate, key and the CA certificates come from its bootstrap's certificate provider instance
 * {@value #PROVIDER_INSTANCE} (the files the agent writes), and the callee must present exactly its
 * SPIFFE ID. What grpc-java accepts (gRFC A29, checked against grpc-java 1.85's XdsClusterResource):
 * one {@code transport_socket} (it NACKs {@code transport_socket_matches}), certificates from provider
 * instances only (no SDS), the peer's SAN in {@code match_subject_alt_names} (it ignores the typed
 * matchers Envoy's clusters use), no SNI and no ALPN (it always offers h2).
 */
final class ProxylessTls {
  private ProxylessTls() {}

  /** The certificate provider instance name a proxyless client's bootstrap must define. */
  static final String PROVIDER_INSTANCE = "tether";

  private static final CertificateProviderPluginInstance TETHER =
      CertificateProviderPluginInstance.newBuilder().setInstanceName(PROVIDER_INSTANCE).build();

  /** The caller's side to the service of {@code spiffeId}. */
  @SuppressWarnings("deprecation") // match_subject_alt_names: the only SAN matcher grpc-java reads
  static TransportSocket upstream(String spiffeId) {
    UpstreamTlsContext context = UpstreamTlsContext.newBuilder()
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .setTlsCertificateProviderInstance(TETHER)
            .setValidationContext(CertificateValidationContext.newBuilder()
                .setCaCertificateProviderInstance(TETHER)
                .addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(spiffeId))))
        .build();
    return TransportSocket.newBuilder().setName(MeshTls.TRANSPORT_SOCKET).setTypedConfig(Protos.any(context)).build();
  }
}
