package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.identity.CaOptions;
import io.tether.xds.identity.MeshCa;
import io.tether.xds.identity.Pem;
import io.tether.xds.render.TrustDomain;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certificates over SDS on the ADS stream (docs/security.md "Certificates over SDS"), to a real Envoy
 * whose bootstrap has a listener naming {@code tether/identity} and {@code tether/trust-bundle}: it ACKs
 * both, holds a leaf of its identity, and holds a new one before the old expires (leaf TTL 10 s, the shortest); a
 * stock grpc-java client of the same mesh gets its config and no secrets. No private key reaches the
 * server's log, the config API or etcd.
 */
class EnvoySdsTest {
  private static final Duration LEAF_TTL = Duration.ofSeconds(10);
  private static final String SPIFFE_ID = "spiffe://conformance.test/ns/a/svc/checkout";
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static PrintStream stderr;
  private static Path keyFile;
  private static Mesh mesh;
  private static EnvoyProxy envoy;
  private static EnvoyProxy deltaEnvoy;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    stderr = System.err;
    System.setErr(new PrintStream(new Tee(stderr, LOG), true, StandardCharsets.UTF_8)); // slf4j-simple writes here
    keyFile = TestEtcd.tempDir("sds-ca").resolve("ca-encryption.key");
    mesh = Mesh.withCa(new CaOptions(new TrustDomain("conformance.test"), LEAF_TTL, null, null, keyFile, true));
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
    envoy = EnvoyProxy.start(mesh.xdsPort(), TestEtcd.tempDir("envoy-sds"), "GRPC", Map.of("identity", "checkout"),
        List.of(tlsListener(Ports.free())));
    deltaEnvoy = EnvoyProxy.start(mesh.xdsPort(), TestEtcd.tempDir("envoy-sds-delta"), "DELTA_GRPC", Map.of(),
        List.of(tlsListener(Ports.free())));
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.close();
    }
    if (deltaEnvoy != null) {
      deltaEnvoy.close();
    }
    if (mesh != null) {
      mesh.close();
    }
    System.setErr(stderr);
  }

  @Test
  void envoyAcksBothSecretsAndHoldsALeafOfItsIdentityThenARenewedOneBeforeExpiry() {
    Poll.until(Duration.ofSeconds(15), () -> SPIFFE_ID.equals(leaf().path("subject_alt_names").path(0).path("uri").asText()),
        () -> "a leaf of " + SPIFFE_ID + " in Envoy's /certs: " + envoy.admin("/certs") + "\n" + envoy.tail());
    Poll.until(Duration.ofSeconds(10), () -> {
      JsonNode stream = mesh.proxyStream(envoy.nodeId);
      return stream != null && "SYNCED".equals(stream.path("sync").path("SDS").asText());
    }, () -> "SDS synced in /v1/proxies: " + mesh.proxyStream(envoy.nodeId));
    assertThat(envoy.stat("listener_manager.total_listeners_warming")).isZero();
    assertThat(envoy.stat("listener_manager.total_listeners_active")).isGreaterThanOrEqualTo(1);
    JsonNode ca = Json.MAPPER.valueToTree(certs().path("certificates").path(0).path("ca_cert").path(0));
    assertThat(new java.math.BigInteger(ca.path("serial_number").asText(), 16)) // Envoy pads the hex to whole bytes
        .isEqualTo(mesh.server.xds().identities().issuer().ca().certificate().getSerialNumber());

    String first = leaf().path("serial_number").asText();
    Instant firstExpires = Instant.parse(leaf().path("expiration_time").asText());
    assertThat(Duration.between(Instant.now(), firstExpires)).isLessThanOrEqualTo(LEAF_TTL);
    Poll.until(LEAF_TTL, () -> !leaf().path("serial_number").asText().equals(first),
        () -> "a renewed leaf within the first one's life; /certs: " + envoy.admin("/certs"));
    assertThat(Instant.now()).as("renewed before the first leaf expired").isBefore(firstExpires);
    assertThat(leaf().path("subject_alt_names").path(0).path("uri").asText()).isEqualTo(SPIFFE_ID);

    String metrics = EnvoyProxy.get(mesh.apiUrl() + "/metrics").orElseThrow().body();
    double issued = metric(metrics, "tether_certificates_issued_total");
    double expiry = metric(metrics, "tether_certificate_expiry_seconds");
    assertThat(issued).as("the two first leaves and a renewal at least").isGreaterThanOrEqualTo(3);
    assertThat(expiry).isPositive().isLessThanOrEqualTo(LEAF_TTL.toSeconds());
  }

  /** The value of an unlabelled sample in a Prometheus text page. */
  private static double metric(String page, String name) {
    return page.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError(name + " not in /metrics"));
  }

  @Test
  void overDeltaAdsAnEnvoyWithoutIdentityHoldsTheAnonymousClientsLeaf() {
    String anonymous = "spiffe://conformance.test/ns/a/client";
    Poll.until(Duration.ofSeconds(15), () -> anonymous.equals(leaf(deltaEnvoy).path("subject_alt_names").path(0)
        .path("uri").asText()), () -> "a leaf of " + anonymous + ": " + deltaEnvoy.admin("/certs"));
    Poll.until(Duration.ofSeconds(10), () -> {
      JsonNode stream = mesh.proxyStream(deltaEnvoy.nodeId);
      return stream != null && stream.path("delta").asBoolean() && "SYNCED".equals(stream.path("sync").path("SDS").asText());
    }, () -> "SDS synced over delta in /v1/proxies: " + mesh.proxyStream(deltaEnvoy.nodeId));
  }

  @Test
  void aProxylessClientGetsItsConfigAndNoSecrets() {
    mesh.service("a", "payments", 8080, "");
    mesh.register("a", "payments", mesh.backend("p1"), "HEALTHY");
    try (XdsClient client = mesh.client("a", Mesh.AGENT_A)) {
      assertThat(XdsClient.call(client.channel("payments:8080"), 5_000)).isEqualTo("p1");
      JsonNode config = mesh.api.get("/v1/proxies/a/" + client.nodeId + "/config").expect(200).body();
      assertThat(config.path("resources").has("CLUSTER")).isTrue();
      assertThat(config.path("resources").has("SECRET")).isFalse();
    }
  }

  @Test
  void noPrivateKeyReachesTheLogTheConfigApiOrEtcd() throws Exception {
    Poll.until(Duration.ofSeconds(15), () -> !leaf().isMissingNode(), "Envoy holds a leaf");
    MeshCa ca = mesh.server.xds().identities().issuer().ca();
    String caKeyPem = Pem.write(ca.key());
    String caKeyBase64 = Base64.getEncoder().encodeToString(ca.key().getEncoded());
    String encryptionKey = Files.readString(keyFile).strip();
    String leafKeyPem = Pem.write(mesh.server.xds().identities().issuer().current(SPIFFE_ID).key());

    String config = mesh.api.get("/v1/proxies/a/" + envoy.nodeId + "/config").expect(200).body().toString();
    assertThat(config).contains(TrustDomain.IDENTITY_SECRET).contains("[redacted]").doesNotContain("PRIVATE KEY");
    String proxies = mesh.api.get("/v1/proxies").expect(200).body().toString();
    String etcd = String.join("\n", etcdContents());
    String log = LOG.toString(StandardCharsets.UTF_8);
    for (String where : List.of(config, proxies, etcd, log)) {
      assertThat(where).doesNotContain(body(caKeyPem)).doesNotContain(caKeyBase64).doesNotContain(encryptionKey)
          .doesNotContain(body(leafKeyPem));
    }
    assertThat(etcd).contains("encryptedKey");
  }

  @Test
  void anAgentsCertificateRequestIsSignedForThePathsIdentityOnly() throws Exception {
    java.security.KeyPair pair = MeshCa.ecKeyPair();
    String body = csrBody(pair);
    var agent = new io.tether.registry.testing.ApiClient(mesh.apiUrl(), Mesh.AGENT_A);
    JsonNode answer = agent.post("/v1/namespaces/a/identities/payments/certificate", body).expect(200).body();
    var chain = Pem.certificates(answer.path("certificateChain").asText(), "chain");
    var anchor = Pem.certificates(answer.path("trustBundle").asText(), "bundle").get(0);
    chain.get(0).verify(anchor.getPublicKey());
    assertThat(chain.get(0).getPublicKey()).isEqualTo(pair.getPublic());
    assertThat(chain.get(0).getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://conformance.test/ns/a/svc/payments"));
    assertThat(answer.path("spiffeId").asText()).isEqualTo("spiffe://conformance.test/ns/a/svc/payments");
    new io.tether.registry.testing.ApiClient(mesh.apiUrl(), Mesh.AGENT_B)
        .post("/v1/namespaces/a/identities/payments/certificate", body).expect(403);
  }

  @Test
  void theNamespacesAnonymousClientGetsACertificateOfItsIdentity() throws Exception {
    java.security.KeyPair pair = MeshCa.ecKeyPair();
    String body = csrBody(pair);
    var agent = new io.tether.registry.testing.ApiClient(mesh.apiUrl(), Mesh.AGENT_A);
    JsonNode answer = agent.post("/v1/namespaces/a/client-certificate", body).expect(200).body();
    var leaf = Pem.certificates(answer.path("certificateChain").asText(), "chain").get(0);
    assertThat(leaf.getPublicKey()).isEqualTo(pair.getPublic());
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://conformance.test/ns/a/client"));
    assertThat(answer.path("spiffeId").asText()).isEqualTo("spiffe://conformance.test/ns/a/client");
    new io.tether.registry.testing.ApiClient(mesh.apiUrl(), Mesh.AGENT_B).post("/v1/namespaces/a/client-certificate", body)
        .expect(403);
    mesh.api.post("/v1/namespaces/absent/client-certificate", body).expect(404);
    mesh.api.post("/v1/namespaces/a/client-certificate", "{\"csr\":\"not a pem\"}").expect(400);
  }

  /** A signing request's body: a PKCS#10 request for {@code pair}'s key, asking for a subject it will not get. */
  private static String csrBody(java.security.KeyPair pair) throws Exception {
    var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
        new org.bouncycastle.asn1.x500.X500Name("CN=admin"), pair.getPublic())
        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    return Json.writeString(Map.of("csr", Pem.write(request)));
  }

  private static List<String> etcdContents() throws Exception {
    try (var client = io.etcd.jetcd.Client.builder().endpoints(TestEtcd.shared().clientUrl()).build()) {
      var prefix = io.etcd.jetcd.ByteSequence.from(mesh.prefix, StandardCharsets.UTF_8);
      return client.getKVClient().get(prefix, io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build())
          .get().getKvs().stream().map(kv -> kv.getValue().toString(StandardCharsets.UTF_8)).toList();
    }
  }

  /** A PEM's base64 body on one line (the part a log or JSON would carry, whatever its line breaks). */
  private static String body(String pem) {
    return pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
  }

  private static JsonNode certs() {
    return certs(envoy);
  }

  private static JsonNode certs(EnvoyProxy proxy) {
    try {
      return Json.MAPPER.readTree(proxy.admin("/certs"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The leaf of the certificate chain Envoy holds, or a missing node. */
  private static JsonNode leaf() {
    return leaf(envoy);
  }

  private static JsonNode leaf(EnvoyProxy proxy) {
    for (JsonNode c : certs(proxy).path("certificates")) {
      JsonNode chain = c.path("cert_chain");
      if (chain.size() > 0) {
        return chain.get(0);
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** A TLS listener whose certificate and validation context come over SDS on the ADS stream. */
  private static Map<String, Object> tlsListener(int port) {
    Map<String, Object> ads = Map.of("ads", Map.of(), "resource_api_version", "V3");
    return Map.of(
        "name", "sds-probe",
        "address", Map.of("socket_address", Map.of("address", "127.0.0.1", "port_value", port)),
        "filter_chains", List.of(Map.of(
            "filters", List.of(Map.of("name", "envoy.filters.network.tcp_proxy", "typed_config", Map.of(
                "@type", "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                "stat_prefix", "sds_probe", "cluster", "xds"))),
            "transport_socket", Map.of("name", "envoy.transport_sockets.tls", "typed_config", Map.of(
                "@type", "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                "require_client_certificate", true,
                "common_tls_context", Map.of(
                    "tls_certificate_sds_secret_configs", List.of(
                        Map.of("name", TrustDomain.IDENTITY_SECRET, "sds_config", ads)),
                    "validation_context_sds_secret_config",
                        Map.of("name", TrustDomain.TRUST_BUNDLE_SECRET, "sds_config", ads)))))));
  }

  /** Writes to both streams: the test's stderr stays visible and is kept for the grep. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
