package io.tether.xds.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshCaTest {
  private static final String ID = "spiffe://tether.local/ns/prod/svc/payments";
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aGeneratedRootIsAnEcP256CaOfTenYears() throws Exception {
    MeshCa ca = MeshCa.generate("tether.local", now);
    X509Certificate root = ca.certificate();
    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(Duration.between(now, root.getNotAfter().toInstant()).toDays()).isBetween(3650L, 3654L);
    root.verify(root.getPublicKey());
    assertThat(ca.intermediates()).isEmpty();
  }

  @Test
  void aLeafHasExactlyItsSpiffeIdBothAuthUsagesAndTheTtl() throws Exception {
    MeshCa ca = MeshCa.generate("tether.local", now);
    KeyPair pair = MeshCa.ecKeyPair();
    X509Certificate leaf = ca.issue(pair.getPublic(), ID, now, Duration.ofHours(24));
    leaf.verify(ca.certificate().getPublicKey());
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, ID));
    assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
        .isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aLeafNeverOutlivesItsCa() {
    MeshCa ca = MeshCa.generate("tether.local", now);
    Instant late = ca.certificate().getNotAfter().toInstant().minus(Duration.ofHours(1));
    X509Certificate leaf = ca.issue(MeshCa.ecKeyPair().getPublic(), ID, late, Duration.ofHours(24));
    assertThat(leaf.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  @Test
  void theIssuerKeepsALeafUntilHalfItsLifeThenIssuesANewOne() {
    TestCa.ManualClock clock = new TestCa.ManualClock(now);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    LeafIssuer issuer = new LeafIssuer(MeshCa.generate("tether.local", now), Duration.ofSeconds(20), clock, meters);
    Leaf first = issuer.current(ID);
    clock.advance(Duration.ofSeconds(9));
    assertThat(issuer.current(ID)).isSameAs(first);
    clock.advance(Duration.ofSeconds(2));
    Leaf second = issuer.current(ID);
    assertThat(second.serial()).isNotEqualTo(first.serial());
    assertThat(meters.get("tether.certificates.issued").counter().count()).isEqualTo(2);
    assertThat(meters.get("tether.certificate.expiry").gauge().value()).isBetween(18.0, 21.0);
    assertThat(second.toString()).contains(ID).doesNotContain("PRIVATE");
  }

  @Test
  void aLeafTtlUnderTenSecondsIsRefused() {
    assertThatThrownBy(() -> new LeafIssuer(MeshCa.generate("t", now), Duration.ofSeconds(5),
        new TestCa.ManualClock(now), new SimpleMeterRegistry())).hasMessage("--leaf-ttl must be at least 10s");
  }

  @Test
  void givenFilesOfAnIntermediateSignLeavesChainedToTheRoot(@TempDir Path dir) throws Exception {
    MeshCa root = MeshCa.generate("tether.local", now);
    KeyPair interKey = MeshCa.ecKeyPair();
    X509Certificate inter = intermediate(root, interKey);
    Path cert = write(dir, "ca.pem", Pem.write(inter, root.certificate()));
    Path key = write(dir, "ca.key", Pem.write(interKey.getPrivate()));
    MeshCa ca = CaSource.given(cert, key, Instant.now());
    assertThat(ca.trustAnchor()).isEqualTo(root.certificate());
    assertThat(ca.intermediates()).containsExactly(inter);
    X509Certificate leaf = ca.issue(MeshCa.ecKeyPair().getPublic(), ID, Instant.now(), Duration.ofHours(1));
    leaf.verify(inter.getPublicKey());
  }

  @Test
  void givenFilesThatDoNotMatchOrAreNotPemAreOneClearLine(@TempDir Path dir) throws Exception {
    MeshCa a = MeshCa.generate("tether.local", now);
    MeshCa b = MeshCa.generate("tether.local", now);
    Path cert = write(dir, "a.pem", Pem.write(a.certificate()));
    Path otherKey = write(dir, "b.key", Pem.write(b.key()));
    String keyPem = Files.readString(otherKey);
    assertThatThrownBy(() -> CaSource.given(cert, otherKey, Instant.now()))
        .hasMessageStartingWith("the CA key is not the key of the CA certificate")
        .hasMessageNotContaining(keyPem.lines().skip(1).findFirst().orElseThrow());
    Path garbage = write(dir, "garbage.pem", "not a certificate\n");
    assertThatThrownBy(() -> CaSource.given(garbage, otherKey, Instant.now()))
        .hasMessage("--ca-cert " + garbage + " holds no PEM certificate");
    assertThatThrownBy(() -> CaSource.given(cert, dir.resolve("missing.key"), Instant.now()))
        .hasMessage("cannot read --ca-key " + dir.resolve("missing.key"));
    assertThatThrownBy(() -> CaSource.given(cert, cert, Instant.now()))
        .hasMessage("--ca-key " + cert + " holds no unencrypted PEM private key");
  }

  @Test
  void aSealedKeyOpensWithItsKeyOnlyAndOnItsCertificateOnly(@TempDir Path dir) {
    CaKeyCipher right = CaKeyCipher.createIfAbsent(dir.resolve("k1"));
    CaKeyCipher wrong = CaKeyCipher.createIfAbsent(dir.resolve("k2"));
    byte[] aad = "cert".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = right.encrypt("secret".getBytes(StandardCharsets.UTF_8), aad);
    assertThat(new String(right.decrypt(sealed, aad), StandardCharsets.UTF_8)).isEqualTo("secret");
    assertThat(CaKeyCipher.fromFile(dir.resolve("k1")).decrypt(sealed, aad)).isEqualTo("secret".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> wrong.decrypt(sealed, aad)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> right.decrypt(sealed, "other".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBadEncryptionKeyFileIsNamedNotQuoted(@TempDir Path dir) throws Exception {
    Path shortKey = write(dir, "short", "c2hvcnQ=\n");
    assertThatThrownBy(() -> CaKeyCipher.fromFile(shortKey)).hasMessageContaining("must hold 32 bytes in base64")
        .hasMessageNotContaining("c2hvcnQ");
  }

  private static X509Certificate intermediate(MeshCa root, KeyPair key) throws Exception {
    var b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(root.certificate(), java.math.BigInteger.TEN,
        java.util.Date.from(Instant.now().minusSeconds(60)), java.util.Date.from(Instant.now().plus(Duration.ofDays(30))),
        new org.bouncycastle.asn1.x500.X500Name("CN=intermediate"), key.getPublic());
    b.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
        new org.bouncycastle.asn1.x509.BasicConstraints(0));
    var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(root.key());
    return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  private static Path write(Path dir, String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }
}
