package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.certs.CertificateFiles;
import io.tether.agent.certs.CertificateKeeper;
import io.tether.agent.registry.RegistryClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.identity.CaOptions;
import io.tether.xds.render.TrustDomain;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's certificate files against a real server whose leaves live 10 s (the shortest
 * {@code --leaf-ttl}, docs/security.md "Proxyless gRPC"): the first leaf carries the identity asked for,
 * and a new leaf for the same key is in {@code cert.pem} before the first expires; {@code key.pem} is
 * not touched.
 */
class ProxylessCertificateRenewalTest {
  private static final Duration LEAF_TTL = Duration.ofSeconds(10);
  private static Mesh mesh;

  @BeforeAll
  static void start() {
    Path keyFile = TestEtcd.tempDir("renewal-ca").resolve("ca-encryption.key");
    mesh = Mesh.withCa(new CaOptions(new TrustDomain("conformance.test"), LEAF_TTL, null, null, keyFile, true));
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void aNewLeafForTheSameKeyIsWrittenBeforeTheFirstExpires() throws Exception {
    CertificateFiles files = new CertificateFiles(TestEtcd.tempDir("renewal").resolve("certs"));
    try (CertificateKeeper keeper = new CertificateKeeper(new RegistryClient(URI.create(mesh.apiUrl()), Mesh.AGENT_A),
        files, "a", "checkout").start()) {
      X509Certificate first = leaf(files.cert());
      assertThat(first.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList())
          .containsExactly("spiffe://conformance.test/ns/a/svc/checkout");
      assertThat(keeper.notAfter()).isEqualTo(first.getNotAfter().toInstant());
      var keyWritten = Files.getLastModifiedTime(files.key());

      Poll.until(LEAF_TTL, () -> !leaf(files.cert()).getSerialNumber().equals(first.getSerialNumber()),
          "cert.pem holds a renewed leaf");
      Instant renewedAt = Instant.now();
      X509Certificate second = leaf(files.cert());
      System.out.printf("[ProxylessCertificateRenewalTest] renewed %d ms before the first leaf's expiry%n",
          Duration.between(renewedAt, first.getNotAfter().toInstant()).toMillis());
      assertThat(renewedAt).as("before the first leaf expires").isBefore(first.getNotAfter().toInstant());
      assertThat(second.getNotAfter()).isAfter(first.getNotAfter());
      assertThat(second.getPublicKey()).as("the same key").isEqualTo(first.getPublicKey());
      assertThat(Files.getLastModifiedTime(files.key())).as("key.pem untouched").isEqualTo(keyWritten);
      second.verify(ca(files.ca()).getPublicKey());
    }
  }

  private static X509Certificate leaf(Path pem) {
    return certificates(pem).get(0);
  }

  private static X509Certificate ca(Path pem) {
    return certificates(pem).get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<X509Certificate> certificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (List<X509Certificate>) (List<?>) List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pem + ": " + e.getMessage(), e);
    }
  }
}
