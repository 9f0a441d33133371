package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.tether.agent.certs.CertificateFiles;
import io.tether.agent.certs.CertificateKeeper;
import io.tether.agent.registry.RegistryClient;
import io.tether.registry.testing.HealthTrace;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mutual TLS from a proxyless grpc-java app (docs/security.md "Proxyless gRPC"): a {@code tether agent
 * run} task serves the grpc service {@code a/web}, STRICT, behind its real Envoy; the agent's
 * certificate writer ({@link CertificateKeeper}, as {@code agent run --proxyless --certs-dir} runs it)
 * gets a leaf for {@code checkout} and writes the files; a stock grpc-java client with the agent's
 * bootstrap ({@code tether} file_watcher provider over those files, {@code XdsChannelCredentials}) calls
 * {@code web} and is answered by the task, as does one whose leaf is the namespace's anonymous client's
 * (an app that serves nothing: {@code --certs-dir} without {@code --identity}); under a DENY default both
 * are {@code PERMISSION_DENIED}, and a rule {@code checkout → web} lets checkout in only; meanwhile the same client without the certificate provider gets
 * a plaintext cluster and is refused at STRICT's handshake (and let through once {@code web} is PERMISSIVE).
 */
class ProxylessMeshTlsTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TASK = "pmtls-1";
  private static final int ALIAS_PORT = 8731;
  private static final long CALL_TIMEOUT_MS = 2_000;
  private static final String STRICT = "\"tls\":{\"mode\":\"STRICT\"},\"healthCheck\":{\"protocol\":\"grpc\","
      + "\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,\"unhealthyThreshold\":2}";
  private static final String RULE = "/v1/namespaces/a/authorizations/checkout-to-web";

  private final Path dir = TestEtcd.tempDir("proxyless-mtls");
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Process agent;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    if (agent != null) {
      TestProcesses.killWithChildren(agent);
    }
  }

  @Test
  void aProxylessClientWithTheAgentsCertificatesCallsAStrictServiceAndOneWithoutIsRefused() throws Exception {
    Prerequisites.envoy();
    mesh.service("a", "web", ALIAS_PORT, STRICT);
    agent = TestProcesses.spawn(new ProcessBuilder(EnvoyAgents.grpcTask(mesh, dir, "web", TASK, Ports.free(),
        Ports.free(), Ports.free())).redirectOutput(dir.resolve("agent.stdout").toFile())
        .redirectError(dir.resolve("agent.stderr").toFile()));
    new HealthTrace(mesh.api, "a", "web", TASK).until("HEALTHY", Duration.ofSeconds(60));

    CertificateFiles files = new CertificateFiles(dir.resolve("certs"));
    long signing = System.nanoTime();
    CertificateKeeper keeper = new CertificateKeeper(new RegistryClient(URI.create(mesh.apiUrl()), Mesh.AGENT_A),
        files, "a", "checkout").start();
    closing.add(keeper);
    System.out.printf("[ProxylessMeshTlsTest] key generated, signed and written in %d ms%n",
        (System.nanoTime() - signing) / 1_000_000);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");

    XdsClient withCertificates = XdsClient.withCertificates(mesh.xdsPort(), "a", Mesh.AGENT_A, files);
    closing.add(withCertificates);
    ManagedChannel tls = withCertificates.channel("web:" + ALIAS_PORT);
    long first = System.nanoTime();
    Poll.until(WAIT, () -> TASK.equals(XdsClient.tryCall(tls, CALL_TIMEOUT_MS)),
        () -> "the client with certificates reaches the task; last: " + XdsClient.tryCall(tls, CALL_TIMEOUT_MS));
    System.out.printf("[ProxylessMeshTlsTest] first mutual-TLS call answered after %d ms%n",
        (System.nanoTime() - first) / 1_000_000);

    // An app that serves nothing calls as the namespace's anonymous client (agent run --certs-dir without --identity).
    CertificateFiles clientFiles = new CertificateFiles(dir.resolve("client-certs"));
    closing.add(new CertificateKeeper(new RegistryClient(URI.create(mesh.apiUrl()), Mesh.AGENT_A), clientFiles, "a",
        null).start());
    assertThat(io.tether.xds.identity.Pem.certificates(Files.readString(clientFiles.cert()), "cert.pem").get(0)
        .getSubjectAlternativeNames()).containsExactly(List.of(6, "spiffe://tether.local/ns/a/client"));
    XdsClient anonymous = XdsClient.withCertificates(mesh.xdsPort(), "a", Mesh.AGENT_A, clientFiles);
    closing.add(anonymous);
    ManagedChannel anonymousTls = anonymous.channel("web:" + ALIAS_PORT);
    Poll.until(WAIT, () -> TASK.equals(XdsClient.tryCall(anonymousTls, CALL_TIMEOUT_MS)),
        () -> "the anonymous client with certificates reaches the task; last: "
            + XdsClient.tryCall(anonymousTls, CALL_TIMEOUT_MS));

    // Who may call whom, on the caller's certificate: under a DENY default both are PERMISSION_DENIED by the
    // task's Envoy; a rule lets checkout in, and the anonymous client, which no rule names, stays out.
    mesh.service("a", "web", ALIAS_PORT, STRICT + ",\"authorization\":{\"defaultAction\":\"DENY\"}");
    Poll.until(WAIT, () -> "PERMISSION_DENIED".equals(XdsClient.tryCall(tls, CALL_TIMEOUT_MS)),
        () -> "checkout denied under a DENY default; last: " + XdsClient.tryCall(tls, CALL_TIMEOUT_MS));
    // Its connection may have been opened under the old listener, which Envoy drains: poll as well.
    Poll.until(WAIT, () -> "PERMISSION_DENIED".equals(XdsClient.tryCall(anonymousTls, CALL_TIMEOUT_MS)),
        "the anonymous client denied under a DENY default");
    mesh.api.put(RULE, "{\"from\":\"checkout\",\"to\":\"web\"}").expect(201);
    Poll.until(WAIT, () -> TASK.equals(XdsClient.tryCall(tls, CALL_TIMEOUT_MS)),
        () -> "checkout allowed by its rule; last: " + XdsClient.tryCall(tls, CALL_TIMEOUT_MS));
    assertThat(XdsClient.tryCall(anonymousTls, CALL_TIMEOUT_MS)).as("named by no rule").isEqualTo("PERMISSION_DENIED");
    mesh.api.delete(RULE).expect(204);
    mesh.service("a", "web", ALIAS_PORT, STRICT);
    Poll.until(WAIT, () -> TASK.equals(XdsClient.tryCall(anonymousTls, CALL_TIMEOUT_MS)), "ALLOW again");

    XdsClient plain = new XdsClient(mesh.xdsPort(), "a", Mesh.AGENT_A);
    closing.add(plain);
    ManagedChannel plaintext = plain.channel("web:" + ALIAS_PORT);
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      refused.add(XdsClient.tryCall(plaintext, CALL_TIMEOUT_MS)); // the first call opens its ADS stream
    }
    assertThat(mesh.proxyStream(plain.nodeId)).as("the plain client holds its stream").isNotNull();
    // Envoy answers the plaintext HTTP/2 preface with a TLS alert and closes: grpc-java reads the alert as a
    // bad first frame (INTERNAL) or finds the connection gone (UNAVAILABLE), by timing.
    assertThat(refused).as("plaintext against STRICT: %s", refusal(plaintext))
        .allMatch(code -> code.equals("INTERNAL") || code.equals("UNAVAILABLE"));
    assertThat(XdsClient.tryCall(tls, CALL_TIMEOUT_MS)).as("and mutual TLS still works after").isEqualTo(TASK);

    // What refused the plain client was STRICT, not a configuration it lacked: PERMISSIVE lets it through.
    mesh.service("a", "web", ALIAS_PORT, "\"tls\":{\"mode\":\"PERMISSIVE\"},\"healthCheck\":{\"protocol\":\"grpc\","
        + "\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,\"unhealthyThreshold\":2}");
    Poll.until(WAIT, () -> TASK.equals(XdsClient.tryCall(plaintext, CALL_TIMEOUT_MS)),
        () -> "PERMISSIVE takes the plain client; last: " + XdsClient.tryCall(plaintext, CALL_TIMEOUT_MS));
    assertThat(XdsClient.tryCall(tls, CALL_TIMEOUT_MS)).as("and the client with certificates").isEqualTo(TASK);
  }

  /** How a call fails: its status and description. */
  private static String refusal(ManagedChannel channel) {
    try {
      return XdsClient.call(channel, CALL_TIMEOUT_MS);
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().toString();
    }
  }
}
