package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.HealthTrace;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Labels from the agent (README "Canaries and test traffic"): a {@code tether agent run --label version=v2
 * --label track=canary} task serving {@code a/web} is registered with those labels, so it is a member of web's
 * subset v2, and a caller's sidecar sends test traffic ({@code x-canary: true}) to it over the subset's cluster
 * (mutual TLS to the task's Envoy, as to the whole service's).
 */
class AgentCanaryTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TASK = "canary-1";

  private final Path dir = TestEtcd.tempDir("agent-canary");
  private Process agent;
  private EnvoyProxy caller;

  @AfterEach
  void stop() throws Exception {
    if (caller != null) {
      caller.close();
    }
    if (agent != null) {
      TestProcesses.killWithChildren(agent);
    }
  }

  @Test
  void anAgentsLabelsPutItsEndpointInTheSubsetThatTestTrafficReaches() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/a", "{}");
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],"
        + "\"subsets\":[{\"name\":\"v2\",\"labels\":{\"version\":\"v2\"}}],"
        + "\"testTraffic\":[{\"name\":\"canary\",\"header\":{\"name\":\"x-canary\",\"exact\":\"true\"},"
        + "\"to\":[{\"subset\":\"v2\"}]}],"
        + "\"healthCheck\":{\"protocol\":\"http\",\"path\":\"/\",\"intervalSeconds\":1,\"timeoutSeconds\":1,"
        + "\"healthyThreshold\":1,\"unhealthyThreshold\":2}}").expect(201);
    List<String> command = EnvoyAgents.webTask(mesh, dir, TASK, Ports.free(), Ports.free(), Ports.free());
    command.addAll(command.indexOf("--"), List.of("--label", "version=v2", "--label", "track=canary"));
    agent = TestProcesses.spawn(new ProcessBuilder(command)
        .redirectOutput(dir.resolve("agent.stdout").toFile()).redirectError(dir.resolve("agent.stderr").toFile()));
    new HealthTrace(mesh.api, "a", "web", TASK).until("HEALTHY", Duration.ofSeconds(60));
    assertThat(mesh.api.get("/v1/namespaces/a/services/web/endpoints/" + TASK).body().path("labels").toString())
        .isEqualTo("{\"track\":\"canary\",\"version\":\"v2\"}");

    caller = EnvoyProxy.start(mesh, Files.createDirectories(dir.resolve("caller")));
    String url = "http://" + mesh.vip("a", "web", 8080) + ":8080/hello";
    Poll.until(WAIT, () -> answeredByTask(EnvoyProxy.get(url, Map.of("x-canary", "true"))),
        () -> "test traffic reaches the task; caller:\n" + caller.tail());
    for (int i = 0; i < 50; i++) {
      assertThat(answeredByTask(EnvoyProxy.get(url, Map.of("x-canary", "true")))).as("call %d", i).isTrue();
    }
    assertThat(AckedVersions.nacks(mesh, caller.nodeId)).isZero();
  }

  private static boolean answeredByTask(Optional<HttpResponse<String>> r) {
    return r.map(x -> x.statusCode() == 200 && x.body().contains(TASK)).orElse(false);
  }
}
