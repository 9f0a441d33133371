package io.tether.xds.render;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.tether.model.AppProtocol;
import java.util.List;

/**
 * The mesh's mutual TLS as Envoy transport sockets (docs/security.md "mutual TLS: tls.mode"): the
 * proxy's own certificate from an SDS secret (the served service's, {@link TrustDomain#servingSecret}, on
 * an ingress listener; the one it calls as, {@link TrustDomain#IDENTITY_SECRET}, in a cluster), peers verified
 * against {@link TrustDomain#TRUST_BUNDLE_SECRET} and by their SPIFFE ID (the URI SAN), both secrets
 * over the node's ADS stream.
 */
final class MeshTls {
  private MeshTls() {}

  /** Envoy's name of the TLS transport socket. */
  static final String TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
  /** The LbEndpoint metadata namespace Envoy matches a cluster's {@code transport_socket_matches} in. */
  static final String SOCKET_MATCH_METADATA = "envoy.transport_socket_match";
  /** The endpoint metadata an agent sets on an endpoint its Envoy fronts, and its value. */
  static final String ENDPOINT_KEY = io.tether.model.Endpoint.TLS_KEY;
  static final String ENDPOINT_MESH = io.tether.model.Endpoint.TLS_MESH;

  /**
   * The callee's side: a client certificate is required, issued by the trust bundle, with a SPIFFE
   * ID of this trust domain (any service's, or a namespace's anonymous client: authorization decides).
   * The callee presents {@code service}'s leaf.
   */
  static TransportSocket downstream(TrustDomain domain, String service, AppProtocol protocol) {
    DownstreamTlsContext context = DownstreamTlsContext.newBuilder()
        .setCommonTlsContext(common(TrustDomain.servingSecret(service), prefix(domain.prefix()),
            downstreamAlpn(protocol)))
        .setRequireClientCertificate(com.google.protobuf.BoolValue.of(true))
        .build();
    return socket(context);
  }

  /**
   * The caller's side to one service: the peer must present exactly that service's SPIFFE ID.
   * {@code sni} is the cluster's name (a SPIFFE ID is no host name); the callee does not route on it.
   */
  static TransportSocket upstream(String spiffeId, String sni, AppProtocol protocol) {
    UpstreamTlsContext context = UpstreamTlsContext.newBuilder()
        .setCommonTlsContext(common(TrustDomain.IDENTITY_SECRET, StringMatcher.newBuilder().setExact(spiffeId).build(),
            upstreamAlpn(protocol)))
        .setSni(sni)
        .build();
    return socket(context);
  }

  private static CommonTlsContext common(String certificateSecret, StringMatcher peerId, List<String> alpn) {
    return CommonTlsContext.newBuilder()
        .addTlsCertificateSdsSecretConfigs(sds(certificateSecret))
        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
            .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                    .setSanType(SubjectAltNameMatcher.SanType.URI)
                    .setMatcher(peerId)))
            .setValidationContextSdsSecretConfig(sds(TrustDomain.TRUST_BUNDLE_SECRET)))
        .addAllAlpnProtocols(alpn)
        .build();
  }

  private static StringMatcher prefix(String prefix) {
    return StringMatcher.newBuilder().setPrefix(prefix).build();
  }

  private static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(Protos.ads()).build();
  }

  /**
   * The callee offers what its codec speaks (the ingress connection manager detects the HTTP version,
   * so both for http); tcp negotiates none.
   */
  private static List<String> downstreamAlpn(AppProtocol protocol) {
    if (!protocol.isHttp()) {
      return List.of();
    }
    return protocol.needsHttp2() ? List.of("h2") : List.of("h2", "http/1.1");
  }

  /** The caller asks for what its cluster speaks upstream (UpstreamProtocolOptions): h2 for http2 and grpc. */
  private static List<String> upstreamAlpn(AppProtocol protocol) {
    if (!protocol.isHttp()) {
      return List.of();
    }
    return protocol.needsHttp2() ? List.of("h2") : List.of("http/1.1");
  }

  private static TransportSocket socket(com.google.protobuf.Message context) {
    return TransportSocket.newBuilder().setName(TRANSPORT_SOCKET).setTypedConfig(Protos.any(context)).build();
  }
}
