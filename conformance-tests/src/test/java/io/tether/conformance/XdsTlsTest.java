package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.main.TetherServer;
import io.tether.xds.identity.LeafIssuer;
import io.tether.xds.identity.MeshCa;
import io.tether.xds.identity.Pem;
import io.tether.xds.server.XdsServer;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The xDS port over TLS ({@code --xds-tls-cert/--xds-tls-key}) and mutual TLS ({@code --xds-client-ca}),
 * with certificates minted for the test by openssl: a client that trusts the CA gets its resources; a
 * plaintext client, and under mTLS a client without a certificate from the CA, get nothing. A leaf of
 * the mesh CA is a credential of its namespace without a token (docs/security.md "TLS client
 * certificates"); one of another CA with the same SAN is refused at the handshake.
 */
class XdsTlsTest {
  private static Path pki;

  @BeforeAll
  static void mintCertificates() throws Exception {
    pki = TestEtcd.tempDir("pki");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=tether-test-ca");
    issue("server", "subjectAltName=IP:127.0.0.1");
    issue("client", "extendedKeyUsage=clientAuth");
  }

  @Test
  void tlsClientGetsResourcesAndAPlaintextClientGetsNothing() throws Exception {
    try (TetherServer server = replica(null)) {
      seed(server);
      int port = server.xds().port();
      assertThat(firstClusters(port, tls(false))).as("CDS over TLS").isNotNull();
      assertThat(refusal(port, InsecureChannelCredentials.create())).as("plaintext to a TLS port").isNotNull();
    }
  }

  @Test
  void mutualTlsRequiresAClientCertificateFromTheCa() throws Exception {
    try (TetherServer server = replica(pki.resolve("ca.pem"))) {
      seed(server);
      int port = server.xds().port();
      assertThat(firstClusters(port, tls(true))).as("CDS with a client certificate").isNotNull();
      assertThat(refusal(port, tls(false))).as("TLS without a client certificate").isNotNull();
    }
  }

  @Test
  void aMeshCertificateIsAnXdsCredentialForItsNamespaceWithoutAToken() throws Exception {
    try (TetherServer server = replica(null)) {
      seed(server);
      int port = server.xds().port();
      LeafIssuer mesh = server.xds().identities().issuer();
      ChannelCredentials web = withLeaf("mesh-web", mesh.ca(), "spiffe://tether.local/ns/a/svc/web");
      ChannelCredentials foreign = withLeaf("foreign-web", MeshCa.generate("tether.local", Instant.now()),
          "spiffe://tether.local/ns/a/svc/web");

      assertThat(firstClusters(port, null, "a", web)).as("CDS for a mesh certificate of namespace a").isNotNull();
      AdsProbe elsewhere = probe(port, null, "b", web);
      try {
        assertThat(elsewhere.closed.get(10, TimeUnit.SECONDS).getCode()).as("claiming namespace b")
            .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(elsewhere.received(Resources.V3.CLUSTER_TYPE_URL)).isZero();
      } finally {
        elsewhere.close();
      }
      assertThat(refusal(port, foreign)).as("a certificate of another CA, same SAN").isNotNull();
      AdsProbe anonymous = probe(port, null, "a", tls(false));
      try {
        assertThat(anonymous.closed.get(10, TimeUnit.SECONDS).getCode()).as("TLS with neither token nor certificate")
            .isEqualTo(Status.Code.UNAUTHENTICATED);
      } finally {
        anonymous.close();
      }
    }
  }

  /** TLS trusting the test CA, presenting a leaf for {@code spiffeId} signed by {@code ca}. */
  private static ChannelCredentials withLeaf(String name, MeshCa ca, String spiffeId) throws IOException {
    KeyPair pair = MeshCa.ecKeyPair();
    X509Certificate leaf = ca.issue(pair.getPublic(), spiffeId, Instant.now().minusSeconds(1), Duration.ofHours(1));
    Path cert = pki.resolve(name + ".pem");
    Path key = pki.resolve(name + ".key");
    Files.writeString(cert, Pem.write(leaf));
    Files.writeString(key, Pem.write(pair.getPrivate()));
    return TlsChannelCredentials.newBuilder().trustManager(pki.resolve("ca.pem").toFile())
        .keyManager(cert.toFile(), key.toFile()).build();
  }

  private static AdsProbe probe(int port, String token, String namespace, ChannelCredentials credentials) {
    AdsProbe probe = new AdsProbe(port, token, XdsMessages.node("cert-" + System.nanoTime(), AdsProbe.GRPC_JAVA,
        XdsMessages.metadata(namespace)), credentials);
    probe.subscribe(Resources.V3.CLUSTER_TYPE_URL, List.of());
    return probe;
  }

  private static TetherServer replica(Path clientCa) {
    return Mesh.startReplica(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(),
        new XdsServer.Config("127.0.0.1", 0, Mesh.TOKENS, pki.resolve("server.pem"), pki.resolve("server.key"), clientCa),
        "tls-replica");
  }

  private static void seed(TetherServer server) {
    ApiClient api = new ApiClient("http://127.0.0.1:" + server.registry().apiPort(), Mesh.ADMIN);
    api.put("/v1/namespaces/a", "{}").expect(201);
    api.put("/v1/namespaces/a/services/vault", "{\"portName\":\"grpc\",\"appProtocol\":\"grpc\","
        + "\"clientAliases\":[{\"dnsName\":\"vault\",\"port\":8200}]}").expect(201);
  }

  private static ChannelCredentials tls(boolean withClientCertificate) throws IOException {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(pki.resolve("ca.pem").toFile());
    if (withClientCertificate) {
      b.keyManager(pki.resolve("client.pem").toFile(), pki.resolve("client.key").toFile());
    }
    return b.build();
  }

  /** The first CDS response a proxyless probe gets, or null. */
  private static DiscoveryResponse firstClusters(int port, ChannelCredentials credentials) {
    return firstClusters(port, Mesh.AGENT_A, "a", credentials);
  }

  private static DiscoveryResponse firstClusters(int port, String token, String namespace,
      ChannelCredentials credentials) {
    AdsProbe probe = new AdsProbe(port, token, XdsMessages.node("tls-" + System.nanoTime(), AdsProbe.GRPC_JAVA,
        XdsMessages.metadata(namespace)), credentials);
    try {
      probe.subscribe(Resources.V3.CLUSTER_TYPE_URL, List.of());
      DiscoveryResponse r = probe.next(Resources.V3.CLUSTER_TYPE_URL, Duration.ofSeconds(10));
      assertThat(XdsMessages.resources(r)).containsKey("vault.a");
      return r;
    } finally {
      probe.close();
    }
  }

  /** The status the stream is closed with when the connection is refused, or null if it was served. */
  private static Status refusal(int port, ChannelCredentials credentials) throws Exception {
    AdsProbe probe = new AdsProbe(port, Mesh.AGENT_A, XdsMessages.node("refused-" + System.nanoTime(), AdsProbe.GRPC_JAVA,
        XdsMessages.metadata("a")), credentials);
    try {
      probe.subscribe(Resources.V3.CLUSTER_TYPE_URL, List.of());
      Status status = probe.closed.get(10, TimeUnit.SECONDS);
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(probe.received(Resources.V3.CLUSTER_TYPE_URL)).as("nothing served").isZero();
      return status;
    } finally {
      probe.close();
    }
  }

  private static void issue(String name, String extension) throws Exception {
    Files.writeString(pki.resolve(name + ".ext"), extension + "\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
        "/CN=" + name);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".pem", "-days", "1", "-extfile", name + ".ext");
  }

  private static void openssl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl %s: %s", String.join(" ", args), out).isZero();
  }
}
