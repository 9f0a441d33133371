package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Envoy sidecar, bootstrapped as the agent would bootstrap it, takes its whole configuration
 * from Tether over ADS (ACKing every type) and routes an app's HTTP call to a service's VIP to the
 * service's backend. Needs a real Envoy ({@code ENVOY_BIN}; {@code ./tether test} installs one).
 */
class EnvoySidecarTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private Mesh mesh;
  private HttpServer backend;
  private EnvoyProxy envoy;
  private Path dir;

  @BeforeEach
  void start() throws IOException {
    Prerequisites.envoy();
    mesh = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), 0);
    dir = Files.createTempDirectory("tether-envoy");
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
  }

  @Test
  void envoyAcksEveryTypeAndRoutesAVipCallToTheHttpBackend() throws Exception {
    backend = HttpBackends.httpBackend("hello from web-1");
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}]}").expect(201);
    mesh.api.put("/v1/namespaces/a/services/web/endpoints/web-1", "{\"address\":\"127.0.0.1\",\"port\":"
        + backend.getAddress().getPort() + ",\"health\":\"HEALTHY\"}").expect(201);
    String vip = mesh.vip("a", "web", 8080);
    assertThat(vip).startsWith("127.255.");

    envoy = EnvoyProxy.start(mesh, dir);

    String dump = envoy.admin("/config_dump");
    assertThat(dump).contains("dynamic_listeners").contains("\"egress:web:8080\"")
        .contains("dynamic_active_clusters").contains("\"web.a\"")
        .contains("dynamic_route_configs").contains("\"web:8080\"");

    String nodeId = envoy.nodeId;
    Poll.until(WAIT, () -> {
      JsonNode stream = mesh.proxyStream(nodeId);
      if (stream == null) {
        return false;
      }
      JsonNode acked = stream.path("ackedVersions");
      return List.of("LDS", "RDS", "CDS", "EDS").stream().allMatch(t -> !acked.path(t).asText("").isEmpty())
          && stream.path("lastNacks").isEmpty();
    }, () -> "envoy ACKed every type without NACKs in /v1/proxies: " + mesh.proxyStream(nodeId)
        + "\nenvoy log:\n" + envoy.tail());

    String viaVip = "http://" + vip + ":8080/hello";
    Poll.until(WAIT, () -> EnvoyProxy.get(viaVip).map(r -> r.statusCode() == 200
        && r.body().equals("hello from web-1")).orElse(false),
        () -> "GET " + viaVip + " through envoy reaches the backend; last answer: " + EnvoyProxy.get(viaVip)
            .map(r -> r.statusCode() + " " + r.body()).orElse("no connection") + "\nenvoy log:\n" + envoy.tail());
  }

}
