package io.tether.agent.certs;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The proxyless app's key: an EC P-256 pair generated on this host, and the PKCS#10 request that asks
 * the mesh CA to sign it. The private key is written to {@code key.pem} only, never sent: the CA needs
 * the request alone, and decides the identity itself (docs/security.md "Certificates over SDS").
 */
final class KeyPairRequest {
  private final KeyPair keys;

  private KeyPairRequest(KeyPair keys) {
    this.keys = keys;
  }

  static KeyPairRequest generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new KeyPairRequest(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate an EC P-256 key: " + e.getMessage(), e);
    }
  }

  /** A request signed by the key it carries; its subject is empty (the CA ignores what it asks for). */
  String csrPem() {
    try {
      var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
          keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      return pem(csr);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate request: " + e.getMessage(), e);
    }
  }

  /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), what grpc-java's file_watcher reads. */
  String privateKeyPem() {
    return pem(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
  }

  java.security.PublicKey publicKey() {
    return keys.getPublic();
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      if (object instanceof org.bouncycastle.util.io.pem.PemObjectGenerator generator) {
        writer.writeObject(generator);
      } else {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
