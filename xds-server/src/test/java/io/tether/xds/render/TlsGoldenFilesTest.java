package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.model.ServicePolicy;
import io.tether.model.Tls;
import io.tether.model.TlsMode;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What each {@code tls.mode} renders (docs/security.md "mutual TLS: tls.mode"), against reviewed files
 * under {@code golden/tls/}: the ingress listener of an http, a grpc and a tcp service in STRICT,
 * PERMISSIVE and DISABLED, the callers' cluster of a STRICT and a DISABLED service (and a proxyless
 * client's of a STRICT one, without and with the {@code tether} certificate provider), and the assignment
 * of a service with one endpoint an agent's Envoy fronts and one registered directly. In the trust
 * domain {@code example.org}, so that no SPIFFE ID here is the default's by accident. Update as
 * {@link GoldenFilesTest} says.
 */
class TlsGoldenFilesTest {
  private static final TrustDomain DOMAIN = new TrustDomain("example.org");

  static Map<String, Message> cases() {
    Map<String, Message> out = new LinkedHashMap<>();
    for (TlsMode mode : TlsMode.values()) {
      String m = mode.name().toLowerCase(java.util.Locale.ROOT);
      out.put("ingress-http-" + m, ingress(MeshFixture.PAYMENTS, MeshFixture.SERVED.get(0), mode));
      out.put("ingress-grpc-" + m, ingress(MeshFixture.QUOTES, MeshFixture.SERVED.get(1), mode));
      out.put("ingress-tcp-" + m, ingress(MeshFixture.CACHE, MeshFixture.SERVED.get(2), mode));
    }
    out.put("cluster-http-strict", cluster(MeshFixture.PAYMENTS, TlsMode.STRICT, ProxyKind.ENVOY));
    out.put("cluster-grpc-strict", cluster(MeshFixture.QUOTES, TlsMode.STRICT, ProxyKind.ENVOY));
    out.put("cluster-http-disabled", cluster(MeshFixture.PAYMENTS, TlsMode.DISABLED, ProxyKind.ENVOY));
    out.put("cluster-proxyless-strict", cluster(MeshFixture.QUOTES, TlsMode.STRICT, ProxyKind.GRPC));
    out.put("cluster-proxyless-certificates-strict", MeshRenderer.service(withMode(MeshFixture.QUOTES, TlsMode.STRICT),
        ProxyKind.GRPC, io.tether.model.VipRange.REGISTRY, true).cluster());
    out.put("endpoints-mesh-and-direct", MeshRenderer.endpoints(MeshFixture.NS, "payments", Map.of(
        "by-agent", new Endpoint("10.0.1.10", 15000, "zone-a", Health.HEALTHY, "task", "host",
            Map.of("tether.io/tls", "mesh"), 7L),
        "by-rest", new Endpoint("10.0.1.11", 8080, "zone-a", Health.HEALTHY, null, null,
            Map.of("team", "payments"), null))));
    return out;
  }

  @Test
  void tlsModesMatchTheReviewedGoldenFiles() throws Exception {
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("tls"), cases());
  }

  @Test
  void strictRequiresAClientCertificateOfTheTrustDomain() throws Exception {
    Listener l = ingress(MeshFixture.PAYMENTS, MeshFixture.SERVED.get(0), TlsMode.STRICT);
    assertThat(l.getFilterChainsCount()).isEqualTo(1);
    assertThat(l.getListenerFiltersCount()).as("no plaintext to tell apart").isZero();
    DownstreamTlsContext tls = l.getFilterChains(0).getTransportSocket().getTypedConfig()
        .unpack(DownstreamTlsContext.class);
    assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
    assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
        .getMatchTypedSubjectAltNames(0).getMatcher().getPrefix()).isEqualTo("spiffe://example.org/");
  }

  @Test
  void permissiveServesTheSameFiltersOverTlsAndPlaintext() {
    Listener l = ingress(MeshFixture.PAYMENTS, MeshFixture.SERVED.get(0), TlsMode.PERMISSIVE);
    assertThat(l.getFilterChainsList()).extracting(c -> c.getFilterChainMatch().getTransportProtocol())
        .containsExactly("tls", "raw_buffer");
    assertThat(l.getFilterChains(0).getFiltersList()).isEqualTo(l.getFilterChains(1).getFiltersList());
    assertThat(l.getFilterChains(1).hasTransportSocket()).isFalse();
    assertThat(ingress(MeshFixture.PAYMENTS, MeshFixture.SERVED.get(0), TlsMode.DISABLED).getFilterChains(0)
        .getFiltersList()).as("and the filters DISABLED has").isEqualTo(l.getFilterChains(1).getFiltersList());
  }

  @Test
  void aCallerChecksTheCalleesExactIdentity() throws Exception {
    var cluster = cluster(MeshFixture.PAYMENTS, TlsMode.PERMISSIVE, ProxyKind.ENVOY);
    UpstreamTlsContext tls = cluster.getTransportSocketMatches(0).getTransportSocket().getTypedConfig()
        .unpack(UpstreamTlsContext.class);
    assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
        .getMatchTypedSubjectAltNames(0).getMatcher().getExact()).isEqualTo("spiffe://example.org/ns/prod/svc/payments");
    assertThat(cluster.hasTransportSocket()).as("the others: plaintext").isFalse();
  }

  @Test
  void aProxylessClientWithCertificatesChecksTheCalleesExactIdentityThroughItsProvider() throws Exception {
    var cluster = MeshRenderer.service(withMode(MeshFixture.QUOTES, TlsMode.PERMISSIVE), ProxyKind.GRPC,
        io.tether.model.VipRange.REGISTRY, true).cluster();
    assertThat(cluster.getTransportSocketMatchesCount()).as("grpc-java NACKs matches").isZero();
    var common = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class).getCommonTlsContext();
    assertThat(common.getTlsCertificateProviderInstance().getInstanceName()).isEqualTo("tether");
    assertThat(common.getValidationContext().getCaCertificateProviderInstance().getInstanceName()).isEqualTo("tether");
    @SuppressWarnings("deprecation")
    String san = common.getValidationContext().getMatchSubjectAltNames(0).getExact();
    assertThat(san).isEqualTo("spiffe://example.org/ns/prod/svc/quotes");
    assertThat(MeshRenderer.service(withMode(MeshFixture.QUOTES, TlsMode.DISABLED), ProxyKind.GRPC,
        io.tether.model.VipRange.REGISTRY, true).cluster().hasTransportSocket()).as("DISABLED: plaintext").isFalse();
  }

  private static ServiceInput withMode(ServiceInput in, TlsMode mode) {
    ServicePolicy own = in.spec().policy().withTls(new Tls(mode));
    return new ServiceInput(in.namespace(), in.spec().withPolicy(own), own.orElse(MeshFixture.NAMESPACE.defaults()),
        in.vips(), DOMAIN);
  }

  private static Listener ingress(ServiceInput in, ServedService served, TlsMode mode) {
    return MeshRenderer.ingress(withMode(in, mode), served).listener();
  }

  private static io.envoyproxy.envoy.config.cluster.v3.Cluster cluster(ServiceInput in, TlsMode mode, ProxyKind kind) {
    return MeshRenderer.service(withMode(in, mode), kind).cluster();
  }
}
