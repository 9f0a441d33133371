package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.certs.CertificateFiles;
import io.tether.agent.certs.CertificateKeeper;
import io.tether.agent.registry.RegistryClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.identity.CaOptions;
import io.tether.xds.render.TrustDomain;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's certificate files against a real server whose leaves live 10 s (the shortest
 * {@code --leaf-ttl}, docs/security.md "Proxyless gRPC"): the first leaf carries the identity asked for,
 * and a new leaf for the same key is in {@code cert.pem} before the first expires; {@code key.pem} is
 * not touched. And the real {@code tether agent run --proxyless --certs-dir} process: the files are there
 * when the app starts, its bootstrap names them, and they are deleted when the task ends.
 */
class ProxylessCertificateRenewalTest {
  private static final Duration LEAF_TTL = Duration.ofSeconds(10);
  private static Mesh mesh;

  @BeforeAll
  static void start() {
    Path keyFile = TestEtcd.tempDir("renewal-ca").resolve("ca-encryption.key");
    mesh = Mesh.withCa(new CaOptions(new TrustDomain("conformance.test"), LEAF_TTL, null, null, keyFile, true));
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void aNewLeafForTheSameKeyIsWrittenBeforeTheFirstExpires() throws Exception {
    CertificateFiles files = new CertificateFiles(TestEtcd.tempDir("renewal").resolve("certs"));
    try (CertificateKeeper keeper = new CertificateKeeper(new RegistryClient(URI.create(mesh.apiUrl()), Mesh.AGENT_A),
        files, "a", "checkout").start()) {
      X509Certificate first = leaf(files.cert());
      assertThat(first.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList())
          .containsExactly("spiffe://conformance.test/ns/a/svc/checkout");
      assertThat(keeper.notAfter()).isEqualTo(first.getNotAfter().toInstant());
      var keyWritten = Files.getLastModifiedTime(files.key());

      Poll.until(LEAF_TTL, () -> !leaf(files.cert()).getSerialNumber().equals(first.getSerialNumber()),
          "cert.pem holds a renewed leaf");
      Instant renewedAt = Instant.now();
      X509Certificate second = leaf(files.cert());
      System.out.printf("[ProxylessCertificateRenewalTest] renewed %d ms before the first leaf's expiry%n",
          Duration.between(renewedAt, first.getNotAfter().toInstant()).toMillis());
      assertThat(renewedAt).as("before the first leaf expires").isBefore(first.getNotAfter().toInstant());
      assertThat(second.getNotAfter()).isAfter(first.getNotAfter());
      assertThat(second.getPublicKey()).as("the same key").isEqualTo(first.getPublicKey());
      assertThat(Files.getLastModifiedTime(files.key())).as("key.pem untouched").isEqualTo(keyWritten);
      second.verify(ca(files.ca()).getPublicKey());
    }
    assertThat(Files.exists(files.key())).as("closing the keeper deletes the key").isFalse();
  }

  @Test
  void agentRunProxylessWritesTheFilesBeforeTheAppStartsNamesThemInItsBootstrapAndDeletesThemAtTheEnd()
      throws Exception {
    Path dir = TestEtcd.tempDir("agent-certs");
    Path token = Files.writeString(dir.resolve("token"), Mesh.AGENT_A);
    Path certs = dir.resolve("certs");
    Path seen = dir.resolve("seen.json");
    List<String> command = new java.util.ArrayList<>(mesh.agentCommand(token, "a"));
    command.addAll(List.of("--proxyless", "--certs-dir", certs.toString(), "--identity", "checkout",
        "--hosts-file", "none", "--work-dir", dir.resolve("work").toString(), "--", "sh", "-c",
        "test -s " + certs.resolve("cert.pem") + " && cat \"$GRPC_XDS_BOOTSTRAP\" > " + seen + "; exec sleep 300"));
    Process agent = TestProcesses.spawn(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile()));
    try {
      Poll.until(Duration.ofSeconds(30), () -> seen.toFile().length() > 0,
          () -> "the app saw cert.pem and its bootstrap; agent log:\n" + read(dir.resolve("agent.log")));
      var bootstrap = io.tether.model.json.Json.MAPPER.readTree(seen.toFile());
      assertThat(bootstrap.at("/certificate_providers/tether/config/private_key_file").asText())
          .isEqualTo(certs.resolve("key.pem").toAbsolutePath().toString());
      assertThat(bootstrap.at("/node/metadata/certificates").asText()).isEqualTo("file_watcher");
      assertThat(leaf(certs.resolve("cert.pem")).getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1))
          .toList()).containsExactly("spiffe://conformance.test/ns/a/svc/checkout");
    } finally {
      agent.destroy(); // SIGTERM: the agent stops the app and cleans up
      assertThat(agent.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the agent exits").isTrue();
      Poll.until(Duration.ofSeconds(5), () -> agent.descendants().noneMatch(ProcessHandle::isAlive), "no child left");
    }
    assertThat(Files.exists(certs.resolve("key.pem"))).as("the key is gone with the task").isFalse();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(cannot read " + file + ")";
    }
  }

  private static X509Certificate leaf(Path pem) {
    return certificates(pem).get(0);
  }

  private static X509Certificate ca(Path pem) {
    return certificates(pem).get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<X509Certificate> certificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      return (List<X509Certificate>) (List<?>) List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pem + ": " + e.getMessage(), e);
    }
  }
}
