package io.tether.conformance;

import static io.tether.conformance.EnvoySidecar.WAIT;
import static io.tether.conformance.EnvoySidecar.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Envoy sidecar, bootstrapped as the agent would bootstrap it, takes its whole configuration
 * from Tether over ADS (ACKing every type) and routes an app's HTTP call to a service's VIP to the
 * service's backend. Needs a real Envoy ({@code ENVOY_BIN}; {@code ./tether test} installs one).
 */
class EnvoySidecarTest {
  private Mesh mesh;
  private HttpServer backend;
  private EnvoySidecar envoy;
  private Path dir;

  @BeforeEach
  void start() throws IOException {
    Prerequisites.envoy();
    mesh = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), 0);
    dir = Files.createTempDirectory("tether-envoy");
  }

  @AfterEach
  void stop() throws InterruptedException {
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
    backend = EnvoySidecar.httpBackend("hello from web-1");
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}]}").expect(201);
    mesh.api.put("/v1/namespaces/a/services/web/endpoints/web-1", "{\"address\":\"127.0.0.1\",\"port\":"
        + backend.getAddress().getPort() + ",\"health\":\"HEALTHY\"}").expect(201);
    String vip = mesh.vip("a", "web", 8080);
    assertThat(vip).startsWith("127.255.");

    envoy = EnvoySidecar.start(mesh, dir);
    envoy.awaitReady();
    String nodeId = envoy.nodeId;

    String dump = get(envoy.adminUrl + "/config_dump", Map.of()).orElseThrow().body();
    assertThat(dump).contains("dynamic_listeners").contains("\"egress:web:8080\"")
        .contains("dynamic_active_clusters").contains("\"web.a\"")
        .contains("dynamic_route_configs").contains("\"web:8080\"");

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

    URI viaVip = URI.create("http://" + vip + ":8080/hello");
    Poll.until(WAIT, () -> get(viaVip.toString(), Map.of()).map(r -> r.statusCode() == 200
        && r.body().equals("hello from web-1")).orElse(false),
        () -> "GET " + viaVip + " through envoy reaches the backend; last answer: " + get(viaVip.toString(), Map.of())
            .map(r -> r.statusCode() + " " + r.body()).orElse("no connection") + "\nenvoy log:\n" + envoy.tail());
  }

  /** An Envoy bootstrap as the agent writes it: ADS to Tether with the agent's token, admin on loopback. */
  static Map<String, Object> bootstrap(String nodeId, int xdsPort, int adminPort, String token) {
    Map<String, Object> ads = Map.of("ads", Map.of(), "resource_api_version", "V3");
    return Map.of(
        "node", Map.of("id", nodeId, "cluster", "conformance-client",
            "metadata", Map.of("namespace", "a", "services", List.of())),
        "dynamic_resources", Map.of(
            "ads_config", Map.of(
                "api_type", "GRPC",
                "transport_api_version", "V3",
                "set_node_on_first_message_only", false,
                "grpc_services", List.of(Map.of(
                    "envoy_grpc", Map.of("cluster_name", "xds"),
                    "initial_metadata", List.of(Map.of("key", "authorization", "value", "Bearer " + token))))),
            "lds_config", ads,
            "cds_config", ads),
        "static_resources", Map.of("clusters", List.of(Map.of(
            "name", "xds",
            "type", "STATIC",
            "connect_timeout", "1s",
            "typed_extension_protocol_options", Map.of(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Map.of(
                    "@type", "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                    "explicit_http_config", Map.of("http2_protocol_options", Map.of()))),
            "load_assignment", Map.of(
                "cluster_name", "xds",
                "endpoints", List.of(Map.of("lb_endpoints", List.of(Map.of("endpoint", Map.of("address",
                    Map.of("socket_address", Map.of("address", "127.0.0.1", "port_value", xdsPort))))))))))),
        "admin", Map.of("address", Map.of("socket_address", Map.of("address", "127.0.0.1", "port_value", adminPort))));
  }
}
