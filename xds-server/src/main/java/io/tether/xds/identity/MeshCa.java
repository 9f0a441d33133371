package io.tether.xds.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The mesh's CA (docs/security.md "The CA"): a signing certificate with its key, and the chain above it.
 * It signs leaves only. Thread-safe: immutable, and signing takes no shared state.
 *
 * @param chain the signing certificate first, then the ones above it (none for a root)
 */
public record MeshCa(List<X509Certificate> chain, PrivateKey key) {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The CA a server generates when none is given: an EC P-256 root that lives ten years. */
  public static MeshCa generate(String trustDomain, Instant now) {
    try {
      KeyPair pair = ecKeyPair();
      X500Name name = new X500Name("O=Tether,CN=Tether mesh CA " + trustDomain);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(Duration.ofDays(3653))), name, pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = sign(b, pair.getPrivate());
      return new MeshCa(List.of(cert), pair.getPrivate());
    } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException("cannot generate the mesh CA", e);
    }
  }

  /**
   * A CA from an operator's certificate chain and key; refuses a key that is not the certificate's, a
   * certificate that is no CA, or one that has expired.
   */
  public static MeshCa of(List<X509Certificate> chain, PrivateKey key, Instant now) {
    X509Certificate cert = chain.get(0);
    if (cert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("the CA certificate is not a CA (no basicConstraints CA:TRUE)");
    }
    if (cert.getNotAfter().toInstant().isBefore(now)) {
      throw new IllegalArgumentException("the CA certificate expired on " + cert.getNotAfter().toInstant());
    }
    if (!matches(cert.getPublicKey(), key)) {
      throw new IllegalArgumentException("the CA key is not the key of the CA certificate");
    }
    return new MeshCa(List.copyOf(chain), key);
  }

  public MeshCa {
    chain = List.copyOf(chain);
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** What verifies peers: the top of the chain (the root, when the chain is complete). */
  public X509Certificate trustAnchor() {
    return chain.get(chain.size() - 1);
  }

  /** The certificates a leaf is sent with: the chain up to, not including, a self-signed root. */
  public List<X509Certificate> intermediates() {
    X509Certificate top = trustAnchor();
    boolean selfSigned = top.getSubjectX500Principal().equals(top.getIssuerX500Principal());
    return selfSigned ? chain.subList(0, chain.size() - 1) : chain;
  }

  /**
   * A leaf for {@code spiffeId}: that URI as its only SAN, client and server auth, from {@code notBefore}
   * for {@code ttl}, cut to the CA's own end.
   */
  public X509Certificate issue(PublicKey subjectKey, String spiffeId, Instant notBefore, Duration ttl) {
    Instant notAfter = notBefore.plus(ttl);
    Instant caEnd = certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd;
    }
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate(), serial(), Date.from(notBefore),
          Date.from(notAfter), new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), subjectKey);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      // The subject is empty, so the SAN is critical (RFC 5280 4.2.1.6; the SPIFFE X.509-SVID spec).
      b.addExtension(Extension.subjectAlternativeName, true,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate()));
      return sign(b, key);
    } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + spiffeId, e);
    }
  }

  /** A fresh EC P-256 key pair, as every leaf and a generated CA have. */
  public static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no EC P-256", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
    try {
      String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(key)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** Whether a signature made with {@code key} verifies with {@code pub}: the key is the certificate's. */
  private static boolean matches(PublicKey pub, PrivateKey key) {
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    try {
      String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      byte[] probe = "tether-ca-key-check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
