package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.HealthTrace;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tether agent run} beside a real Envoy ({@code ENVOY_BIN}), on one host: SIGKILL of the Envoy
 * makes the task's endpoint UNHEALTHY at once, so callers' sidecars stop choosing a dead ingress port,
 * and HEALTHY again once the agent's restarted Envoy is ready and serves the ingress port.
 */
class EnvoyCrashTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir = TestEtcd.tempDir("envoy-crash");
  private final int appPort = Ports.free();
  private final int ingressPort = Ports.free();
  private final int adminPort = Ports.free();
  private Process agent;

  @BeforeEach
  void createService() {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/a", "{}");
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],\"healthCheck\":{\"protocol\":\"http\","
        + "\"path\":\"/\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,\"unhealthyThreshold\":2}}");
  }

  @AfterEach
  void stopAgent() throws InterruptedException {
    if (agent != null) {
      TestProcesses.killWithChildren(agent);
    }
  }

  @Test
  void aKilledEnvoyMakesTheEndpointUnhealthyWithinASecondAndHealthyOnceItsSuccessorIsReady() throws Exception {
    agent = startAgent("crash-1");
    HealthTrace health = new HealthTrace(mesh.api, "a", "web", "crash-1");
    health.until("HEALTHY", Duration.ofSeconds(60));
    ProcessHandle envoy = envoy();

    envoy.destroyForcibly(); // SIGKILL
    long unhealthyMs = health.until("UNHEALTHY", Duration.ofSeconds(1));
    long healthyMs = unhealthyMs + health.until("HEALTHY", Duration.ofSeconds(30));
    System.out.printf("[EnvoyCrashTest] real Envoy SIGKILL -> UNHEALTHY %d ms, -> HEALTHY again %d ms (back-off 1 s)%n",
        unhealthyMs, healthyMs);

    assertThat(health.seen()).containsExactly("ABSENT", "HEALTHY", "UNHEALTHY", "HEALTHY");
    assertThat(envoy().pid()).as("a new Envoy").isNotEqualTo(envoy.pid());
    assertThat(get("http://127.0.0.1:" + adminPort + "/ready")).as("it is ready").isEqualTo(200);
    assertThat(get("http://127.0.0.1:" + ingressPort + "/")).as("and its ingress reaches the app").isEqualTo(200);
  }

  private Process startAgent(String taskId) throws Exception {
    List<String> command = EnvoyAgents.webTask(mesh, dir, taskId, appPort, ingressPort, adminPort);
    return TestProcesses.spawn(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile()));
  }

  /** The agent's Envoy, the one of its descendants running the Envoy binary. */
  private ProcessHandle envoy() throws java.io.IOException {
    Path binary = Prerequisites.envoy().toRealPath(); // what the kernel reports, links resolved
    return agent.descendants().filter(p -> p.info().command().map(c -> Path.of(c).equals(binary)).orElse(false))
        .findFirst().orElseThrow(() -> new AssertionError("no Envoy among the agent's children"));
  }

  private static int get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
