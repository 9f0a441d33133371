package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Envoy (1.40) takes a callee's authorization as RBAC filters on its ingress listeners, HTTP and
 * tcp, and ACKs them; without mutual TLS (which the pki and tls parts bring) a caller has no identity,
 * so what can be enforced here is the plaintext rule of docs/security.md: such a caller is denied under a
 * DENY default (403; a tcp connection closed), counted in {@code http.ingress_web.rbac.denied} and
 * {@code tcp.ingress_db.rbac.denied}, allowed under an ALLOW default, and matched by no rule, not even
 * {@code from: "*"}.
 */
class EnvoyRbacTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String NS = "/v1/namespaces/a";
  private static final String WEB = "{\"portName\":\"http\",\"appProtocol\":\"http\"";

  private final int webIngress = Ports.free();
  private final int dbIngress = Ports.free();
  private Mesh mesh;
  private HttpServer backend;
  private java.net.ServerSocket echo;
  private EnvoyProxy envoy;
  private Path dir;

  @BeforeEach
  void start() throws IOException {
    Prerequisites.envoy();
    mesh = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), 0);
    dir = Files.createTempDirectory("tether-envoy-rbac");
    backend = HttpBackends.httpBackend("hello from web");
    echo = TcpEcho.start();
  }

  @AfterEach
  void stop() {
    if (envoy != null) {
      envoy.close();
    }
    if (backend != null) {
      backend.stop(0);
    }
    if (mesh != null) {
      mesh.close();
    }
    try {
      echo.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void envoyAcksTheRbacFiltersAndDeniesAPlaintextCallerUnderADenyDefault() throws Exception {
    mesh.api.put(NS, "{}").expect(201);
    mesh.api.put(NS + "/services/web", WEB + ",\"authorization\":{\"defaultAction\":\"DENY\"}}").expect(201);
    mesh.api.put(NS + "/services/db", "{\"portName\":\"pg\",\"appProtocol\":\"tcp\","
        + "\"authorization\":{\"defaultAction\":\"DENY\"}}").expect(201);
    mesh.api.put(NS + "/authorizations/checkout-to-web", "{\"from\":\"checkout\",\"to\":\"web\","
        + "\"http\":[{\"paths\":[\"/pay\",\"/refunds/*\"],\"methods\":[\"POST\"]}]}").expect(201);
    mesh.api.put(NS + "/authorizations/no-batch", "{\"from\":\"batch\",\"to\":\"db\",\"action\":\"DENY\"}").expect(201);
    mesh.api.put(NS + "/authorizations/api-to-db", "{\"from\":\"api\",\"to\":\"db\"}").expect(201);

    envoy = EnvoyProxy.serving(mesh, dir, List.of(
        Map.of("discoveryName", "web", "ingressPort", webIngress, "appPort", backend.getAddress().getPort()),
        Map.of("discoveryName", "db", "ingressPort", dbIngress, "appPort", echo.getLocalPort())));
    awaitAckedWithoutNacks();
    String dump = envoy.admin("/config_dump");
    assertThat(dump).contains("envoy.filters.http.rbac", "envoy.filters.network.rbac",
        "spiffe://tether.local/ns/a/svc/checkout", "spiffe://tether.local/ns/a/svc/batch");

    String url = "http://127.0.0.1:" + webIngress + "/pay";
    Poll.until(WAIT, () -> EnvoyProxy.get(url).map(r -> r.statusCode() == 403).orElse(false),
        () -> "a plaintext call is 403 under a DENY default: " + EnvoyProxy.get(url).map(r -> r.statusCode() + " "
            + r.body()).orElse("no answer") + "\n" + envoy.tail());
    assertThat(envoy.stat("http.ingress_web.rbac.denied")).isPositive();

    assertThat(tcpConnectionClosedOnFirstBytes(dbIngress)).as("a tcp connection is closed").isTrue();
    Poll.until(WAIT, () -> envoy.stat("tcp.ingress_db.rbac.denied") > 0, () -> "tcp denial counted\n" + envoy.admin(
        "/stats?filter=rbac"));

    // A DENY rule for any mesh caller does not match a caller without an identity; under an ALLOW default it passes.
    mesh.api.put(NS + "/authorizations/no-mesh-callers", "{\"from\":\"*\",\"to\":\"web\",\"action\":\"DENY\"}")
        .expect(201);
    mesh.api.put(NS + "/services/web", WEB + ",\"authorization\":{\"defaultAction\":\"ALLOW\"}}").expect(200);
    mesh.api.put(NS + "/services/db", "{\"portName\":\"pg\",\"appProtocol\":\"tcp\"}").expect(200);
    Poll.until(WAIT, () -> EnvoyProxy.get(url).map(r -> r.statusCode() == 200).orElse(false),
        () -> "allowed under an ALLOW default: " + EnvoyProxy.get(url).map(r -> r.statusCode() + "")
            .orElse("no answer") + "\n" + envoy.tail());
    assertThat(envoy.admin("/config_dump")).contains("no-mesh-callers");
    awaitAckedWithoutNacks();
    Poll.until(WAIT, () -> !tcpConnectionClosedOnFirstBytes(dbIngress), () -> "tcp allowed under an ALLOW default");
    TcpEcho.roundTrip("127.0.0.1", dbIngress, "ping\n");
  }

  private void awaitAckedWithoutNacks() {
    Poll.until(WAIT, () -> {
      JsonNode stream = mesh.proxyStream(envoy.nodeId);
      return stream != null && !stream.path("ackedVersions").path("LDS").asText("").isEmpty()
          && stream.path("lastNacks").isEmpty()
          && envoy.admin("/config_dump").contains("\"ingress:web\"");
    }, () -> "envoy ACKed the ingress listeners without NACKs: " + mesh.proxyStream(envoy.nodeId)
        + "\nenvoy log:\n" + envoy.tail());
  }

  /** Connects, sends a line, and says whether Envoy closed the connection instead of echoing it back. */
  private static boolean tcpConnectionClosedOnFirstBytes(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("ping\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      return in.read() == -1;
    } catch (java.net.SocketException reset) {
      return true; // closed with a reset: denied as well
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
