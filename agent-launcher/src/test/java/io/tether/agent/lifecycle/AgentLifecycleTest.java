package io.tether.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.AgentMain;
import io.tether.agent.testing.FakeApp;
import io.tether.agent.testing.FakeEnvoy;
import io.tether.agent.testing.Journal;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tether agent run} as a real process against a real registry, with the stand-in Envoy and a
 * real app process: registration, health following, the drain order on SIGTERM, and what SIGKILL leaves.
 */
class AgentLifecycleTest {
  private static TestRegistry registry;
  private static ApiClient admin;
  private final Path dir = TestEtcd.tempDir("agent");
  private final Journal journal = new Journal(dir.resolve("journal"));
  private final Path sick = dir.resolve("sick");
  private final Path hosts = dir.resolve("hosts");
  private final int appPort = Ports.free();
  private Process agent;

  @BeforeAll
  static void startRegistry() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    admin = registry.admin();
    admin.put("/v1/namespaces/a", "{}").expect(201);
    // The agent takes the check's timing from the service's policy: fast here, so the tests are.
    admin.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],\"healthCheck\":{\"protocol\":\"http\","
        + "\"path\":\"/healthz\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,"
        + "\"unhealthyThreshold\":2}}").expect(201);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @AfterEach
  void killAgent() {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly();
    }
  }

  private Process startAgent(String taskId, List<String> extra) throws Exception {
    return startAgent(taskId, extra, java.util.Map.of());
  }

  private Process startAgent(String taskId, List<String> extra, java.util.Map<String, String> env) throws Exception {
    Files.writeString(hosts, "127.0.0.1\tlocalhost\n# keep me\n10.0.0.9 db.internal\n");
    Path token = dir.resolve("token");
    Files.writeString(token, TestRegistry.AGENT_A);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "run",
        "--control-plane", registry.baseUrl(), "--token-file", token.toString(), "--namespace", "a",
        "--service", "web", "--app-port", Integer.toString(appPort), "--ingress-port", Integer.toString(Ports.free()),
        "--address", "127.0.0.1", "--task-id", taskId,
        "--envoy-bin", FakeEnvoy.install(dir).toString(), "--admin-port", Integer.toString(Ports.free()),
        "--drain-time", "1", "--stop-grace", "2", "--hosts-file", hosts.toString(), "--lease-ttl", "3",
        "--work-dir", dir.resolve("work").toString()));
    cmd.addAll(extra);
    cmd.addAll(List.of("--", FakeApp.install(dir).toString(), Integer.toString(appPort)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
    pb.environment().put("TETHER_TEST_JOURNAL", journal.path().toString());
    pb.environment().put("FAKE_APP_SICK_FILE", sick.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  private JsonNode endpoint(String id) {
    ApiClient.Response r = admin.get("/v1/namespaces/a/services/web/endpoints/" + id);
    return r.status() == 200 ? r.body() : null;
  }

  private String health(String id) {
    JsonNode e = endpoint(id);
    return e == null ? "ABSENT" : e.path("health").asText("HEALTHY");
  }

  private String log() throws Exception {
    return Files.exists(dir.resolve("agent.log")) ? Files.readString(dir.resolve("agent.log")) : "";
  }

  @Test
  void registersHealthyFollowsTheAppsHealthAndDrainsInOrderOnSigterm() throws Exception {
    agent = startAgent("t1", List.of());
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t1")), () -> "registered HEALTHY; log:\n" + logQuietly());
    assertThat(endpoint("t1").path("leaseId").asLong()).as("under a lease").isPositive();
    String vip = admin.get("/v1/namespaces/a/services").body().at("/items/0/clientAliases/0/vip").asText();
    assertThat(Files.readString(hosts)).startsWith("127.0.0.1\tlocalhost\n# keep me\n10.0.0.9 db.internal\n")
        .contains(vip + "\tweb");

    Files.writeString(sick, "");
    Poll.until(Duration.ofSeconds(20), () -> "UNHEALTHY".equals(health("t1")), "endpoint follows the app to UNHEALTHY");
    Files.delete(sick);
    Poll.until(Duration.ofSeconds(20), () -> "HEALTHY".equals(health("t1")), "and back to HEALTHY");

    agent.destroy(); // SIGTERM
    Poll.until(Duration.ofSeconds(10), () -> "DRAINING".equals(health("t1")), "DRAINING first");
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("agent exits").isTrue();
    assertThat(agent.exitValue()).as("with the app's status").isZero();
    assertThat(journal.lines()).containsSubsequence("envoy POST /healthcheck/fail", "envoy POST /drain_listeners",
        "app signal TERM", "app exit", "envoy POST /quitquitquit", "envoy exit");
    assertThat(endpoint("t1")).as("deregistered").isNull();
    assertThat(Files.readString(hosts)).as("hosts block gone, other lines kept")
        .isEqualTo("127.0.0.1\tlocalhost\n# keep me\n10.0.0.9 db.internal\n");
    assertNoChildAlive();
  }

  @Test
  void sigkilledAgentTakesItsChildrenAndItsEndpointLeavesWithinTheLeaseTtl() throws Exception {
    agent = startAgent("t2", List.of());
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t2")), () -> "registered; log:\n" + logQuietly());
    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    long killed = System.nanoTime();
    Poll.until(Duration.ofSeconds(5), this::noChildAlive, "no process the agent started survives it");
    long gone = Poll.until(Duration.ofSeconds(3 + 2), () -> endpoint("t2") == null, "endpoint leaves with the lease");
    System.out.printf("[AgentLifecycleTest] endpoint gone %d ms after SIGKILL (lease TTL 3 s)%n",
        (System.nanoTime() - killed) / 1_000_000);
    assertThat(gone).isLessThan(4_000 + 1_000);
  }

  @Test
  void anEnvoyThatKeepsCrashingFailsTheTaskAndDeregistersIt() throws Exception {
    agent = startAgent("t3", List.of("--envoy-restarts", "1", "--envoy-backoff-ms", "100"),
        java.util.Map.of("FAKE_ENVOY_MODE", "crash-after:4000"));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t3")), () -> "registered; log:\n" + logQuietly());
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the task fails once Envoy cannot be kept up").isTrue();
    assertThat(agent.exitValue()).as("a failed task exits non-zero").isNotZero();
    assertThat(journal.lines().stream().filter(l -> l.startsWith("envoy start")).count()).as("restarted once").isEqualTo(2);
    assertThat(journal.lines()).containsSubsequence("envoy crash", "envoy crash", "app signal TERM");
    assertThat(endpoint("t3")).as("deregistered").isNull();
    assertNoChildAlive();
  }

  @Test
  void proxylessAgentHandsTheAppAGrpcBootstrapAndRegistersTheAppItself() throws Exception {
    agent = startAgent("t4", List.of("--proxyless"));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t4")), () -> "registered; log:\n" + logQuietly());
    assertThat(endpoint("t4").path("port").asInt()).as("callers reach the app directly").isEqualTo(appPort);
    String start = journal.lines().stream().filter(l -> l.startsWith("app start")).findFirst().orElseThrow();
    Path bootstrap = Path.of(start.substring(start.indexOf(" bootstrap ") + 11));
    JsonNode grpc = io.tether.registry.json.Json.MAPPER.readTree(Files.readString(bootstrap));
    assertThat(grpc.at("/xds_servers/0/channel_creds/0/type").asText()).isEqualTo("tether-bearer");
    assertThat(grpc.at("/node/metadata/namespace").asText()).isEqualTo("a");
    assertThat(Files.getPosixFilePermissions(bootstrap)).as("it holds the token")
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(journal.lines()).noneMatch(l -> l.startsWith("envoy"));

    agent.destroy();
    Poll.until(Duration.ofSeconds(10), () -> "DRAINING".equals(health("t4")), "DRAINING first");
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isZero();
    assertThat(endpoint("t4")).isNull();
    assertNoChildAlive();
  }

  @Test
  void anAppThatNeverBecomesHealthyFailsTheTaskAndLeavesNothingBehind() throws Exception {
    Files.writeString(sick, "");
    agent = startAgent("t5", List.of("--start-timeout", "3"));
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the agent gives up").isTrue();
    assertThat(agent.exitValue()).isEqualTo(1);
    assertThat(log()).contains("the app never became healthy");
    assertThat(endpoint("t5")).as("never registered").isNull();
    assertThat(journal.lines()).contains("app signal TERM", "envoy POST /quitquitquit");
    assertThat(Files.readString(hosts)).doesNotContain("tether");
    assertNoChildAlive();
  }

  private String logQuietly() {
    try {
      return log();
    } catch (Exception e) {
      return "";
    }
  }

  private List<Long> childPids() {
    List<Long> pids = new ArrayList<>();
    for (String line : journal.lines()) {
      if (line.contains(" start pid ")) {
        String rest = line.substring(line.indexOf(" start pid ") + 11);
        pids.add(Long.parseLong(rest.split(" ")[0]));
      }
    }
    return pids;
  }

  private boolean noChildAlive() {
    return childPids().stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  private void assertNoChildAlive() {
    Poll.until(Duration.ofSeconds(5), this::noChildAlive, () -> "children still alive: " + childPids());
  }
}
