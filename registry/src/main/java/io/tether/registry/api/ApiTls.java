package io.tether.registry.api;

import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * The REST API's TLS certificate chain and key, PEM files ({@code --api-tls-cert}, {@code --api-tls-key}):
 * with them the API (and the console) is served over HTTPS on its port (docs/security.md, "Tokens").
 */
public record ApiTls(Path cert, Path key) {

  /**
   * The files checked before the server starts, so that a bad one is one clear line.
   *
   * @throws IllegalArgumentException naming the option and the file
   */
  public ApiTls checked() {
    try (InputStream in = Files.newInputStream(cert)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new IllegalArgumentException("--api-tls-cert " + cert + " holds no PEM certificate");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--api-tls-cert " + cert + ": cannot read it (" + e.getMessage() + ")");
    } catch (CertificateException e) {
      throw new IllegalArgumentException("--api-tls-cert " + cert + " is not a PEM certificate chain");
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

  PemKeyCertOptions options() {
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }
}
