package io.tether.agent.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of proxyless mutual TLS, short of a server: the files appear whole with their modes
 * and nothing else is left in the directory, the key and its request are what the CA and grpc-java
 * read, and renewals come at half the remaining life.
 */
class CertificateFilesTest {
  private final Path dir = TestEtcd.tempDir("cert-files").resolve("certs");

  @Test
  void theFilesReplaceTheOldOnesWholeWithTheKeyReadableByItsOwnerOnly() throws Exception {
    CertificateFiles files = new CertificateFiles(dir);
    files.prepare();
    files.writeKey("KEY\n");
    files.writeCertificate("LEAF-1\n", "CA-1\n");
    files.writeCertificate("LEAF-2\n", "CA-2\n");
    assertThat(Files.readString(files.cert())).isEqualTo("LEAF-2\n");
    assertThat(Files.readString(files.ca())).isEqualTo("CA-2\n");
    assertThat(mode(files.key())).isEqualTo("rw-------");
    assertThat(mode(files.cert())).isEqualTo("rw-r--r--");
    assertThat(mode(dir)).isEqualTo("rwx------");
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString()))
          .as("no temporary file left").containsExactlyInAnyOrder("cert.pem", "key.pem", "ca.pem");
    }
    files.remove();
    try (var listing = Files.list(dir)) {
      assertThat(listing).as("removed at the task's end").isEmpty();
    }
  }

  @Test
  void theRequestIsSignedByTheKeyWrittenToKeyPem() throws Exception {
    KeyPairRequest key = KeyPairRequest.generate();
    PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der(key.csrPem(), "CERTIFICATE REQUEST"));
    var publicKey = new JcaPKCS10CertificationRequest(csr).getPublicKey();
    assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))).isTrue();
    assertThat(publicKey).isEqualTo(key.publicKey());
    assertThat(key.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    var privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(key.privateKeyPem(),
        "PRIVATE KEY")));
    assertThat(privateKey.getAlgorithm()).isEqualTo("EC");
    assertThat(KeyPairRequest.generate().publicKey()).as("a new key per start").isNotEqualTo(key.publicKey());
  }

  @Test
  void aLeafIsRenewedAtHalfItsRemainingLifeButNeverSoonerThanASecond() {
    Instant now = Instant.parse("2026-12-02T12:00:00Z");
    assertThat(CertificateKeeper.renewalDelay(now, now.plus(Duration.ofHours(24)))).isEqualTo(Duration.ofHours(12));
    assertThat(CertificateKeeper.renewalDelay(now, now.plusSeconds(10))).isEqualTo(Duration.ofSeconds(5));
    assertThat(CertificateKeeper.renewalDelay(now, now.minusSeconds(5))).isEqualTo(Duration.ofSeconds(1));
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static byte[] der(String pem, String type) {
    String body = pem.replace("-----BEGIN " + type + "-----", "").replace("-----END " + type + "-----", "")
        .replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }
}
