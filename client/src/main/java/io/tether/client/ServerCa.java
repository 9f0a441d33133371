package io.tether.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA a client trusts the API's TLS certificate by ({@code --server-ca}, {@code $TETHER_SERVER_CA},
 * a context's {@code serverCa}: docs/cli.md): one or more PEM certificates, instead of the JVM's CAs.
 */
public final class ServerCa {
  private ServerCa() {}

  /**
   * An SSL context trusting the certificates of a PEM file.
   *
   * @param what the option or setting that named the file, for the message
   * @throws IllegalArgumentException naming it, when the file is missing or holds no certificate
   */
  public static SSLContext load(String what, Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(what + " " + pem + " holds no PEM certificate");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + ": no such file: " + pem);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": cannot read " + pem + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(what + " " + pem + " is not a PEM certificate: " + e.getMessage());
    }
  }
}
