package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import io.tether.registry.testing.HealthTrace;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access log of a real Envoy ({@code ENVOY_BIN}) under {@code tether agent run}: every request is
 * one JSON line per listener it crosses, on the agent's own stdout (Envoy's diagnostics stay out of
 * it), with the fields the README documents holding what happened.
 */
class EnvoyAccessLogTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final int CALLS = 3;
  private static final String TASK = "logs-1";

  private final Path dir = TestEtcd.tempDir("envoy-access-log");
  private final int appPort = Ports.free();
  private final int ingressPort = Ports.free();
  private final int adminPort = Ports.free();
  private ServerSocket echo;
  private Process agent;

  @BeforeEach
  void createServices() throws IOException {
    Prerequisites.envoy();
    echo = TcpEcho.start();
    mesh.api.put("/v1/namespaces/a", "{}");
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],\"healthCheck\":{\"protocol\":\"http\","
        + "\"path\":\"/\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,\"unhealthyThreshold\":2}}");
    mesh.api.put("/v1/namespaces/a/services/gone", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"gone\",\"port\":8080}]}");
    mesh.api.put("/v1/namespaces/a/services/db", "{\"portName\":\"pg\",\"appProtocol\":\"tcp\","
        + "\"clientAliases\":[{\"dnsName\":\"db\",\"port\":5432}]}");
    mesh.api.put("/v1/namespaces/a/services/db/endpoints/echo",
        "{\"address\":\"127.0.0.1\",\"port\":" + echo.getLocalPort() + ",\"health\":\"HEALTHY\"}").expect(201);
  }

  @AfterEach
  void stopAgent() throws Exception {
    if (agent != null) {
      TestProcesses.killWithChildren(agent);
    }
    echo.close();
  }

  @Test
  void everyRequestIsOneJsonLinePerHopOnTheAgentsStdout() throws Exception {
    agent = startAgent();
    new HealthTrace(mesh.api, "a", "web", TASK).until("HEALTHY", Duration.ofSeconds(60));
    awaitHealthyHost("127.0.0.1:" + ingressPort);
    awaitHealthyHost("127.0.0.1:" + echo.getLocalPort());
    String web = mesh.vip("a", "web", 8080) + ":8080";
    for (int i = 0; i < CALLS; i++) {
      assertThat(get("http://" + web + "/call/" + i)).isEqualTo(200);
    }
    assertThat(get("http://" + mesh.vip("a", "gone", 8080) + ":8080/gone")).isEqualTo(503);
    TcpEcho.roundTrip(mesh.vip("a", "db", 5432), 5432, "ping\n");

    List<JsonNode> lines = awaitLines(2 * CALLS + 2);
    for (int i = 0; i < CALLS; i++) {
      JsonNode egress = only(lines, "egress:web:8080", "/call/" + i);
      JsonNode ingress = only(lines, "ingress:web", "/call/" + i);
      assertHttp(egress, 200, "127.0.0.1:" + ingressPort, TASK.length());
      assertHttp(ingress, 200, "127.0.0.1:" + appPort, TASK.length());
      assertThat(egress.path("authority").asText()).isEqualTo(web);
      assertThat(egress.path("request_id").asText()).as("one call, one id on both hops").isNotEmpty()
          .isEqualTo(ingress.path("request_id").asText());
    }
    JsonNode unavailable = only(lines, "egress:gone:8080", "/gone");
    assertThat(unavailable.path("response_code").isInt()).isTrue();
    assertThat(unavailable.path("response_code").asInt()).isEqualTo(503);
    assertThat(unavailable.path("response_flags").asText()).isEqualTo("UH");
    assertThat(unavailable.has("upstream_host")).as("no host answered: %s", unavailable).isFalse();
    assertTcp(lines.stream().filter(l -> l.path("listener").asText().equals("egress:db:5432")).toList());
  }

  private static void assertHttp(JsonNode line, int status, String upstreamHost, int bodyBytes) {
    assertThat(line.path("start_time").asText()).as("ISO-8601 UTC, ms: %s", line)
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(line.path("method").asText()).isEqualTo("GET");
    assertThat(line.path("protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(line.path("response_code").isInt()).as("a JSON number: %s", line).isTrue();
    assertThat(line.path("response_code").asInt()).isEqualTo(status);
    assertThat(line.path("response_flags").asText()).as("Envoy's word for no flags").isEqualTo("-");
    assertThat(line.has("grpc_status")).as("not gRPC: no field, not null: %s", line).isFalse();
    assertThat(line.path("upstream_host").asText()).isEqualTo(upstreamHost);
    assertThat(line.path("bytes_sent").isInt()).as("a JSON number: %s", line).isTrue();
    assertThat(line.path("bytes_sent").asInt()).isEqualTo(bodyBytes);
    assertThat(line.path("duration_ms").isInt()).as("a JSON number: %s", line).isTrue();
    assertThat(line.path("duration_ms").asInt()).isBetween(0, 10_000);
  }

  private void assertTcp(List<JsonNode> connections) {
    assertThat(connections).as("one line per connection").hasSize(1);
    JsonNode line = connections.get(0);
    assertThat(line.path("upstream_host").asText()).isEqualTo("127.0.0.1:" + echo.getLocalPort());
    assertThat(line.path("bytes_received").isInt()).as("a JSON number: %s", line).isTrue();
    assertThat(line.path("bytes_received").asInt()).isEqualTo(5);
    assertThat(line.path("bytes_sent").asInt()).isEqualTo(5);
    assertThat(line.path("downstream_remote_address").asText()).startsWith("127.0.0.1:");
  }

  /** The one line of {@code listener} for {@code path}: none or two would be a wrong log. */
  private static JsonNode only(List<JsonNode> lines, String listener, String path) {
    List<JsonNode> matching = lines.stream()
        .filter(l -> l.path("listener").asText().equals(listener) && l.path("path").asText().equals(path)).toList();
    assertThat(matching).as("%s lines for %s in %s", listener, path, lines).hasSize(1);
    return matching.get(0);
  }

  /**
   * The agent's stdout, once it holds {@code count} lines (Envoy flushes its access log each second),
   * each parsed as one JSON object: a line that is not one fails here.
   */
  private List<JsonNode> awaitLines(int count) throws IOException {
    Path stdout = dir.resolve("agent.stdout");
    Poll.until(Duration.ofSeconds(10), () -> stdoutLines().size() >= count,
        () -> "want " + count + " lines on the agent's stdout:\n" + String.join("\n", stdoutLines())
            + "\nstderr tail:\n" + tail(dir.resolve("agent.stderr")));
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : Files.readAllLines(stdout)) {
      JsonNode json = Json.MAPPER.readTree(line);
      assertThat(json.isObject()).as("a JSON object: %s", line).isTrue();
      parsed.add(json);
    }
    System.out.println("[EnvoyAccessLogTest] an access log line: " + Files.readAllLines(stdout).get(0));
    return parsed;
  }

  private List<String> stdoutLines() {
    try {
      return Files.readAllLines(dir.resolve("agent.stdout"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ")";
    }
  }

  /** Waits for Envoy to know {@code host} as a healthy endpoint: a call before that would log a 503. */
  private void awaitHealthyHost(String host) {
    Poll.until(Duration.ofSeconds(30), () -> clusters().contains("::" + host + "::health_flags::healthy"),
        () -> host + " healthy in Envoy's /clusters:\n" + clusters());
  }

  private String clusters() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/clusters")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      return "(no answer: " + e + ")";
    }
  }

  private Process startAgent() throws Exception {
    List<String> command = EnvoyAgents.webTask(mesh, dir, TASK, appPort, ingressPort, adminPort);
    // Apart, so that the test sees what reaches the agent's stdout: the access log and nothing else.
    return TestProcesses.spawn(new ProcessBuilder(command).redirectOutput(dir.resolve("agent.stdout").toFile())
        .redirectError(dir.resolve("agent.stderr").toFile()));
  }

  private static int get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
