package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tether.registry.json.Json;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private Mesh mesh;
  private HttpServer backend;
  private Process envoy;
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
      envoy.destroyForcibly();
      envoy.waitFor(10, TimeUnit.SECONDS);
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
    backend = httpBackend("hello from web-1");
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}]}").expect(201);
    mesh.api.put("/v1/namespaces/a/services/web/endpoints/web-1", "{\"address\":\"127.0.0.1\",\"port\":"
        + backend.getAddress().getPort() + ",\"health\":\"HEALTHY\"}").expect(201);
    String vip = vip("a", "web", 8080);
    assertThat(vip).startsWith("127.255.");

    String nodeId = "envoy-" + UUID.randomUUID();
    int admin = Ports.free();
    Path bootstrap = dir.resolve("bootstrap.json");
    Files.writeString(bootstrap, Json.MAPPER.writeValueAsString(bootstrap(nodeId, mesh.xdsPort(), admin, Mesh.AGENT_A)));
    Path log = dir.resolve("envoy.log");
    envoy = new ProcessBuilder(Prerequisites.envoy().toString(), "-c", bootstrap.toString(),
        "--base-id", Integer.toString(ThreadLocalRandom.current().nextInt(1_000, 1_000_000)),
        "--log-level", "info")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();

    String adminUrl = "http://127.0.0.1:" + admin;
    Poll.until(WAIT, () -> get(adminUrl + "/ready").map(r -> r.statusCode() == 200).orElse(false),
        () -> "envoy /ready; envoy log:\n" + tail(log));

    String dump = get(adminUrl + "/config_dump").orElseThrow().body();
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
        + "\nenvoy log:\n" + tail(log));

    URI viaVip = URI.create("http://" + vip + ":8080/hello");
    Poll.until(WAIT, () -> get(viaVip.toString()).map(r -> r.statusCode() == 200
        && r.body().equals("hello from web-1")).orElse(false),
        () -> "GET " + viaVip + " through envoy reaches the backend; last answer: " + get(viaVip.toString())
            .map(r -> r.statusCode() + " " + r.body()).orElse("no connection") + "\nenvoy log:\n" + tail(log));
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

  private String vip(String ns, String svc, int port) {
    for (JsonNode s : mesh.api.get("/v1/namespaces/" + ns + "/services").expect(200).body().path("items")) {
      if (s.path("discoveryName").asText().equals(svc)) {
        for (JsonNode a : s.path("clientAliases")) {
          if (a.path("port").asInt() == port) {
            return a.path("vip").asText(null);
          }
        }
      }
    }
    return null;
  }

  private static HttpServer httpBackend(String answer) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.Optional<HttpResponse<String>> get(String url) {
    try {
      return java.util.Optional.of(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
          .build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
