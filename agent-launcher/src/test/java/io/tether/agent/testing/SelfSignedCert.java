package io.tether.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.nio.file.Path;

/** A self-signed certificate for 127.0.0.1 made by openssl: a TLS xDS port for the tests, and its own CA. */
public record SelfSignedCert(Path cert, Path key) {
  public static SelfSignedCert for127001() throws IOException, InterruptedException {
    Path pki = TestEtcd.tempDir("pki");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
        "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=tether-test", "-addext",
        "subjectAltName=IP:127.0.0.1").directory(pki.toFile()).redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes());
    assertThat(openssl.waitFor()).as("openssl: " + output).isZero();
    return new SelfSignedCert(pki.resolve("cert.pem"), pki.resolve("key.pem"));
  }
}
