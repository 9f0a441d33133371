package io.tether.registry.api;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * The REST API's TLS certificate chain and key, PEM files ({@code --api-tls-cert}, {@code --api-tls-key}):
 * with them the API (and the console) is served over HTTPS on its port (docs/security.md "The REST API over
 * TLS"). {@code peerCa} ({@code --api-peer-ca}, may be null) holds the CA certificates that verify the
 * other replicas' API certificates when this one asks them (the {@code /v1/proxies} fan-out); without it,
 * the JVM's CAs.
 */
public record ApiTls(Path cert, Path key, Path peerCa) {

  /** Served over TLS, peers verified by the JVM's CAs. */
  public ApiTls(Path cert, Path key) {
    this(cert, key, null);
  }

  /**
   * The files checked before the server starts, so that a bad one is one clear line.
   *
   * @throws IllegalArgumentException naming the option and the file
   */
  public ApiTls checked() {
    requireCertificates("--api-tls-cert", cert);
    if (peerCa != null) {
      requireCertificates("--api-peer-ca", peerCa);
    }
    try {
      String pem = Files.readString(key);
      if (!pem.contains("-----BEGIN") || !pem.contains("PRIVATE KEY-----")) {
        throw new IllegalArgumentException("--api-tls-key " + key + " is not a PEM private key");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--api-tls-key " + key + ": cannot read it (" + e.getMessage() + ")");
    }
    return this;
  }

  private static void requireCertificates(String option, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new IllegalArgumentException(option + " " + file + " holds no PEM certificate");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
    } catch (CertificateException e) {
      throw new IllegalArgumentException(option + " " + file + " is not a PEM certificate chain");
    }
  }

  /** What a client of the other replicas trusts: {@link #peerCa}, else null (the JVM's CAs). */
  public PemTrustOptions peerTrust() {
    return peerCa == null ? null : new PemTrustOptions().addCertPath(peerCa.toString());
  }

  PemKeyCertOptions options() {
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }
}
