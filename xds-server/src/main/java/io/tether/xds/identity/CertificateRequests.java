package io.tether.xds.identity;

import io.tether.model.InvalidSpecException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A PKCS#10 request checked at the edge: PEM, signed by the key it carries (so the caller holds it),
 * an EC P-256 or RSA (2048 bits or more) key. What it asks for beyond its key is ignored: the CA decides
 * the identity. Errors name the field {@code csr} and quote nothing of it.
 */
public final class CertificateRequests {
  private CertificateRequests() {}

  public static PublicKey verifiedKey(String pem) {
    PKCS10CertificationRequest csr;
    try {
      csr = Pem.csr(pem, "csr");
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException("csr", e.getMessage());
    }
    PublicKey key;
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
      key = jca.getPublicKey();
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new InvalidSpecException("csr", "csr is not signed by the key it carries");
      }
    } catch (InvalidSpecException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidSpecException("csr", "csr carries a key or signature that cannot be read");
    }
    if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
      return key;
    }
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
      return key;
    }
    throw new InvalidSpecException("csr", "csr must carry an EC P-256 key or an RSA key of 2048 bits or more");
  }
}
