package io.tether.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.testing.AgentRegistry;
import io.tether.agent.testing.AgentUnderTest;
import io.tether.agent.testing.Journal;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tether agent run} as a real process against a real registry, with the stand-in Envoy and a
 * real app process: registration, health following, the drain order on SIGTERM, and what SIGKILL leaves.
 */
class AgentLifecycleTest {
  @RegisterExtension
  static final AgentRegistry registry = new AgentRegistry();
  private final Path dir = TestEtcd.tempDir("agent");
  private AgentUnderTest task;
  private Journal journal;
  private Path sick;
  private Path hosts;
  private int appPort;
  private Process agent;

  private AgentUnderTest agent(String taskId) {
    return registry.agent(dir, taskId);
  }

  private Process start(AgentUnderTest agentUnderTest) throws Exception {
    task = agentUnderTest;
    journal = task.journal();
    sick = task.sickFile();
    hosts = task.hostsFile();
    appPort = task.appPort();
    return task.start();
  }

  private JsonNode endpoint(String id) {
    ApiClient.Response r = registry.admin().get("/v1/namespaces/a/services/web/endpoints/" + id);
    return r.status() == 200 ? r.body() : null;
  }

  private String health(String id) {
    JsonNode e = endpoint(id);
    return e == null ? "ABSENT" : e.path("health").asText("HEALTHY");
  }

  private String log() {
    return task.log();
  }

  @Test
  void registersHealthyFollowsTheAppsHealthAndDrainsInOrderOnSigterm() throws Exception {
    agent = start(agent("t1"));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t1")), () -> "registered HEALTHY; log:\n" + log());
    assertThat(endpoint("t1").path("leaseId").asLong()).as("under a lease").isPositive();
    assertThat(endpoint("t1").path("metadata").path("tether.io/tls").asText())
        .as("its Envoy's ingress: callers' sidecars use mutual TLS").isEqualTo("mesh");
    String vip = registry.admin().get("/v1/namespaces/a/services").body().at("/items/0/clientAliases/0/vip").asText();
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
    assertInOrder(log(), "task ending: SIGNAL", "endpoint DRAINING in the registry", "envoy draining its listeners for 1 s",
        "envoy drained, drain time over: stopping the app", "app stopped with exit status 0",
        "endpoint a/web/t1 deregistered", "lease ", " revoked", "envoy stopped", "agent exiting with status 0");
    assertThat(Files.readString(hosts)).as("hosts block gone, other lines kept")
        .isEqualTo("127.0.0.1\tlocalhost\n# keep me\n10.0.0.9 db.internal\n");
    assertNoChildAlive();
  }

  @Test
  void anEndpointDeletedByAnOperatorIsBackWithinAKeepaliveButNotOnceTheTaskDrains() throws Exception {
    agent = start(agent("t8").flag("--drain-time", "4")); // lease TTL 3 s: a keepalive every second
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t8")), () -> "registered HEALTHY; log:\n" + log());
    JsonNode before = endpoint("t8");

    registry.admin().delete("/v1/namespaces/a/services/web/endpoints/t8").expect(204);
    long deleted = System.nanoTime();
    Poll.until(Duration.ofSeconds(1 + 2), () -> endpoint("t8") != null, () -> "registered again; log:\n" + log());
    System.out.printf("[AgentLifecycleTest] a deleted endpoint was back %d ms later (keepalive every 1 s)%n",
        (System.nanoTime() - deleted) / 1_000_000);
    JsonNode after = endpoint("t8");
    for (String field : List.of("address", "port", "health", "leaseId", "taskId")) {
      assertThat(after.path(field)).as(field).isEqualTo(before.path(field));
    }
    assertThat(log()).contains("endpoint a/web/t8 is gone (deleted from the registry); registering it again, HEALTHY");

    agent.destroy(); // SIGTERM
    Poll.until(Duration.ofSeconds(10), () -> "DRAINING".equals(health("t8")), "DRAINING first");
    registry.admin().delete("/v1/namespaces/a/services/web/endpoints/t8").expect(204);
    Poll.until(Duration.ofSeconds(10), () -> log().contains("endpoint a/web/t8 is gone (deleted from the registry) "
        + "while the task stops: not registering it again"), () -> "a keepalive finds it gone; log:\n" + log());
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isZero();
    assertThat(endpoint("t8")).as("stays deleted").isNull();
    assertThat(log().lines().filter(l -> l.contains("registering it again,"))).as("once, before the drain").hasSize(1);
    assertNoChildAlive();
  }

  @Test
  void anAppWhoseHealthCheckFailsDuringTheDrainStaysDrainingUntilDeregistered() throws Exception {
    // Long enough for the check (every second, UNHEALTHY after two failures) to turn well within it.
    agent = start(agent("t7").flag("--drain-time", "8"));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t7")), () -> "registered HEALTHY; log:\n" + log());

    agent.destroy(); // SIGTERM
    Poll.until(Duration.ofSeconds(10), () -> "DRAINING".equals(health("t7")), "DRAINING first");
    Files.writeString(sick, ""); // from now on the app fails its health check
    String verdict = "app on port " + appPort + " is UNHEALTHY (was HEALTHY)";
    List<String> seen = new ArrayList<>(List.of("DRAINING"));
    AtomicBoolean failedWhileRegistered = new AtomicBoolean();
    Poll.until(Duration.ofSeconds(30), () -> {
      boolean failed = log().contains(verdict); // read before the health: then the verdict came first
      String now = health("t7");
      if (!now.equals(seen.get(seen.size() - 1))) {
        seen.add(now);
      }
      if (failed && !now.equals("ABSENT")) {
        failedWhileRegistered.set(true);
      }
      return now.equals("ABSENT");
    }, () -> "deregistered; seen " + seen + "; log:\n" + log());

    assertThat(failedWhileRegistered).as("the health check turned UNHEALTHY during the drain; log:\n%s", log()).isTrue();
    assertThat(seen).as("the endpoint's health from the drain's start to its deregistration").containsExactly("DRAINING", "ABSENT");
    assertThat(log()).contains("endpoint stays DRAINING");
    assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.exitValue()).isZero();
    assertNoChildAlive();
  }

  @Test
  void sigkilledAgentTakesItsChildrenAndItsEndpointLeavesWithinTheLeaseTtl() throws Exception {
    agent = start(agent("t2"));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t2")), () -> "registered; log:\n" + log());
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
    agent = start(agent("t3").flag("--envoy-restarts", "1").flag("--envoy-backoff-ms", "100")
        .env("FAKE_ENVOY_MODE", "crash-after:4000"));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t3")), () -> "registered; log:\n" + log());
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the task fails once Envoy cannot be kept up").isTrue();
    assertThat(agent.exitValue()).as("a failed task exits non-zero").isNotZero();
    assertThat(journal.lines().stream().filter(l -> l.startsWith("envoy start")).count()).as("restarted once").isEqualTo(2);
    assertThat(journal.lines()).containsSubsequence("envoy crash", "envoy crash", "app signal TERM");
    assertThat(log()).as("why Envoy failed, from its log").contains("giving up; its last")
        .contains("\n    [critical][backtrace] Caught Segmentation fault");
    assertThat(endpoint("t3")).as("deregistered").isNull();
    assertNoChildAlive();
  }

  @Test
  void proxylessAgentHandsTheAppAGrpcBootstrapAndRegistersTheAppItself() throws Exception {
    agent = start(agent("t4").flag("--proxyless", null));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t4")), () -> "registered; log:\n" + log());
    assertThat(endpoint("t4").path("port").asInt()).as("callers reach the app directly").isEqualTo(appPort);
    assertThat(endpoint("t4").path("metadata").has("tether.io/tls")).as("the app speaks plaintext").isFalse();
    String start = journal.lines().stream().filter(l -> l.startsWith("app start")).findFirst().orElseThrow();
    Path bootstrap = Path.of(start.substring(start.indexOf(" bootstrap ") + 11));
    JsonNode grpc = io.tether.model.json.Json.MAPPER.readTree(Files.readString(bootstrap));
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
    AgentUnderTest sickApp = agent("t5").flag("--start-timeout", "3");
    Files.writeString(sickApp.sickFile(), "");
    agent = start(sickApp);
    assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the agent gives up").isTrue();
    assertThat(agent.exitValue()).isEqualTo(1);
    assertThat(log()).contains("the app never became healthy");
    assertThat(endpoint("t5")).as("never registered").isNull();
    assertThat(journal.lines()).contains("app signal TERM", "envoy POST /quitquitquit");
    assertThat(Files.readString(hosts)).doesNotContain("tether");
    assertNoChildAlive();
  }

  @Test
  void withoutAddressItRegistersTheAddressOfTheDefaultRoutesInterface() throws Exception {
    // What `ip route` (not the agent's /proc reading) says; a host without a default route fails the test
    // unless TETHER_TESTS_WITHOUT_DEFAULT_ROUTE is set.
    String route = new String(new ProcessBuilder("ip", "-4", "route", "show", "default").start().getInputStream()
        .readAllBytes()).trim();
    Prerequisites.defaultRoute(route);
    String device = route.substring(route.indexOf(" dev ") + 5).split("\\s+")[0];
    String expected = java.util.Collections.list(java.net.NetworkInterface.getByName(device).getInetAddresses()).stream()
        .filter(a -> a instanceof java.net.Inet4Address).findFirst().orElseThrow().getHostAddress();

    agent = start(agent("t6").without("--address"));
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("t6")), () -> "registered; log:\n" + log());
    assertThat(endpoint("t6").path("address").asText()).as("not InetAddress.getLocalHost()'s loopback")
        .isEqualTo(expected);
    assertThat(log()).contains("registering address " + expected + ": the address of " + device
        + ", the default route's interface");
  }

  /** Each part appears in the text after the one before it. */
  private static void assertInOrder(String text, String... parts) {
    int at = 0;
    for (String part : parts) {
      int found = text.indexOf(part, at);
      assertThat(found).as("'%s' after position %d of:%n%s", part, at, text).isNotNegative();
      at = found + part.length();
    }
  }

  private boolean noChildAlive() {
    return task.noChildAlive();
  }

  private void assertNoChildAlive() {
    task.assertNoChildAlive();
  }
}
