package io.tether.xds.identity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One identity's certificate and key, as issued. {@link #toString} names the identity and serial only:
 * the key must never reach a log line.
 *
 * @param chain the leaf first, then the CA's intermediates
 */
public record Leaf(String spiffeId, List<X509Certificate> chain, PrivateKey key, Instant renewAt) {
  public Leaf {
    chain = List.copyOf(chain);
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The serial in hex: the version of the identity secret, so a re-render without renewal changes nothing. */
  public String serial() {
    return certificate().getSerialNumber().toString(16);
  }

  public Instant notAfter() {
    return certificate().getNotAfter().toInstant();
  }

  public String chainPem() {
    return Pem.write(chain.toArray());
  }

  public String keyPem() {
    return Pem.write(key);
  }

  @Override
  public String toString() {
    return "Leaf[" + spiffeId + ", serial " + serial() + ", until " + notAfter() + "]";
  }
}
