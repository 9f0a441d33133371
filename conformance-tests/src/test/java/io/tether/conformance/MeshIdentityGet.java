package io.tether.conformance;

import io.tether.agent.certs.CertificateFiles;
import io.tether.xds.identity.Pem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.OptionalInt;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A caller that dials a sidecar's ingress port itself, over mutual TLS with a mesh leaf (the agent's
 * certificate files): what a caller that "knows the address" does, past every egress listener. It
 * trusts the mesh CA and skips the host name check, since mesh leaves carry a SPIFFE URI SAN only.
 */
final class MeshIdentityGet {
  private MeshIdentityGet() {}

  /** The status of {@code GET /} on {@code 127.0.0.1:port} presenting {@code files}' leaf; empty when refused. */
  static OptionalInt status(CertificateFiles files, int port) {
    try (SSLSocket s = (SSLSocket) context(files).getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: direct\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      return line == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(line.split(" ")[1]));
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  private static SSLContext context(CertificateFiles files) throws IOException {
    try {
      List<X509Certificate> chain = Pem.certificates(Files.readString(files.cert()), "cert.pem");
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("leaf", Pem.privateKey(Files.readString(files.key()), "key.pem"), new char[0],
          chain.toArray(X509Certificate[]::new));
      KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      km.init(keys, new char[0]);
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      int i = 0;
      for (X509Certificate ca : Pem.certificates(Files.readString(files.ca()), "ca.pem")) {
        anchors.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tm.init(anchors);
      SSLContext tls = SSLContext.getInstance("TLSv1.3");
      tls.init(km.getKeyManagers(), tm.getTrustManagers(), null);
      return tls;
    } catch (GeneralSecurityException e) {
      throw new AssertionError("a TLS client context from " + files.cert(), e);
    }
  }
}
