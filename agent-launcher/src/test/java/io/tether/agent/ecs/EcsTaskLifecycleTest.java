package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.testing.FakeApp;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tether agent ecs-task} as a real process beside real apps, with a real Envoy, a real registry
 * and xDS server over real etcd, and a stand-in for the task metadata endpoint (serving ECS's documented
 * shapes, changed by the test as ECS changes them).
 *
 * <p>The task runs in awsvpc mode, talking to the control plane directly with namespace a's token. A
 * bridge or host task would talk through the host agent's relay, which adds the token to REST and to
 * the ADS stream: a relay of gRPC is the host agent's own work (io.tether.agent.relay), not something to
 * stand in for in this test, and the xDS server takes no stream without a token. What differs in those
 * modes (the host agent's answer, the dynamic host port, the app at its container IP, no token in the
 * bootstrap) is tested without processes in {@link EcsPlacementTest} and {@link EcsBootstrapTest}.
 */
class EcsTaskLifecycleTest {
  @RegisterExtension
  static final EcsMesh mesh = new EcsMesh();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final int POLL_MS = 300;
  private static final String TASK_ID = "e5c1a7d3b9f24e6c8a0d2f4b6c8e0a2d";

  private final Path dir = TestChildren.tempDir("ecs-task");
  private final List<Process> apps = new ArrayList<>();
  private final int paymentsPort = Ports.free();
  private final int ledgerPort = Ports.free();
  private final int paymentsIngress = Ports.free();
  private final int metricsPort = Ports.free();
  private final int ledgerIngress = Ports.free();
  private MetadataStandIn metadata;
  private EcsAgentProcess agent;

  @BeforeAll
  static void services() {
    mesh.httpService("payments");
    mesh.httpService("ledger");
  }

  @AfterEach
  void stopAll() throws Exception {
    if (agent != null) {
      agent.kill();
    }
    for (Process app : apps) {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (metadata != null) {
      metadata.close();
    }
  }

  @Test
  void registersOnceHealthyFollowsHealthDrainsOnDesiredStoppedAndLeavesOnStopAndSigterm() throws Exception {
    startTask();
    Poll.until(Duration.ofSeconds(60), () -> agent.log().contains("waiting for app containers: app is CREATED; "
        + "ledger is CREATED"), () -> "waiting for the apps; log:\n" + agent.log());

    // ECS starts the apps; payments' container health check has not decided yet, ledger has none.
    Process payments = startApp(paymentsPort, "payments-sick");
    startApp(ledgerPort, "ledger-sick");
    metadata.containerStatus("app", "RUNNING");
    metadata.containerStatus("ledger", "RUNNING");
    Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health("ledger")),
        () -> "ledger registered once its Tether health check passed; log:\n" + agent.log());
    assertThat(endpoint("ledger").path("address").asText() + ":" + endpoint("ledger").path("port").asInt())
        .isEqualTo("127.0.0.1:" + ledgerIngress);
    awaitPolls(3);
    assertThat(health("payments")).as("not registered while its container health is UNKNOWN").isEqualTo("ABSENT");

    metadata.health("app", "HEALTHY");
    Poll.until(Duration.ofSeconds(20), () -> "HEALTHY".equals(health("payments")), () -> "payments HEALTHY; log:\n"
        + agent.log());
    JsonNode registered = endpoint("payments");
    assertThat(registered.path("address").asText() + ":" + registered.path("port").asInt())
        .isEqualTo("127.0.0.1:" + paymentsIngress);
    assertThat(registered.path("zone").asText()).isEqualTo("eu-west-1a");
    assertThat(registered.path("metadata").path("ecsCluster").asText()).isEqualTo("prod");
    assertThat(registered.path("metadata").path("ecsTaskArn").asText()).endsWith("/" + TASK_ID);
    assertThat(registered.path("metadata").path("tether.io/tls").asText()).as("callers' sidecars use mutual TLS")
        .isEqualTo("mesh");
    assertThat(registered.path("leaseId").asLong()).as("under a lease").isPositive();
    Poll.until(Duration.ofSeconds(20), () -> callThroughEnvoy() == 200, "Envoy's ingress reaches the app");
    String inbound = "tether_sc_request_count_total{direction=\"inbound\",namespace=\"a\",service=\"payments\"} ";
    Poll.until(Duration.ofSeconds(20), () -> metrics().lines().anyMatch(l -> l.startsWith(inbound) && !l.endsWith(" 0.0")),
        () -> "the task's GET /metrics counts the calls through Envoy's ingress; it says:\n" + metrics());

    followsHealth();
    keepsTheLastStateWhileTheMetadataIsAway();

    long stopping = System.nanoTime();
    metadata.desiredStatus("STOPPED");
    Poll.until(Duration.ofSeconds(10), () -> "DRAINING".equals(health("payments")) && "DRAINING".equals(health("ledger")),
        () -> "both DRAINING; log:\n" + agent.log());
    long drainingMs = (System.nanoTime() - stopping) / 1_000_000;
    System.out.printf("[EcsTaskLifecycleTest] DRAINING %d ms after DesiredStatus STOPPED (poll %d ms)%n", drainingMs, POLL_MS);
    assertThat(drainingMs).as("within about one poll (and two registry calls)").isLessThan(POLL_MS + 2_500);
    assertThat(callThroughEnvoy()).as("Envoy still forwards while its listeners drain").isEqualTo(200);

    metadata.containerStatus("app", "STOPPED");
    payments.destroy();
    Poll.until(Duration.ofSeconds(10), () -> "ABSENT".equals(health("payments")), "payments deregistered with its app");
    assertThat(health("ledger")).isEqualTo("DRAINING");

    long envoyPid = agent.envoyPid().orElseThrow();
    agent.process().destroy(); // SIGTERM, as ECS sends it to the sidecar last
    assertThat(agent.awaitExit(Duration.ofSeconds(30))).as(agent.log()).isZero();
    assertThat(health("ledger")).isEqualTo("ABSENT");
    Poll.until(Duration.ofSeconds(5), () -> ProcessHandle.of(envoyPid).map(h -> !h.isAlive()).orElse(true), "envoy gone");
    assertThat(agent.log()).containsSubsequence("waiting for app containers",
        "xDS at " + mesh.xds() + ", as " + mesh.restApi() + "/v1/xds advertises", "envoy ready", "ledger: registered at 127.0.0.1:",
        "payments: registered at 127.0.0.1:" + paymentsIngress, "payments: endpoint 127.0.0.1:" + paymentsIngress
            + " DRAINING because desired status STOPPED", "payments: deregistered 127.0.0.1:" + paymentsIngress
            + " (app container app STOPPED", "ledger: deregistered", "envoy stopped", "exiting with status 0");
  }

  /** UNHEALTHY and back, from the container's health check (payments) and from the Tether check (ledger). */
  private void followsHealth() throws Exception {
    metadata.health("app", "UNHEALTHY");
    Poll.until(Duration.ofSeconds(10), () -> "UNHEALTHY".equals(health("payments")), "payments follows its container");
    metadata.health("app", "HEALTHY");
    Poll.until(Duration.ofSeconds(10), () -> "HEALTHY".equals(health("payments")), "and back");
    Path sick = dir.resolve("ledger-sick");
    Files.writeString(sick, "");
    Poll.until(Duration.ofSeconds(20), () -> "UNHEALTHY".equals(health("ledger")), "ledger follows its health check");
    Files.delete(sick);
    Poll.until(Duration.ofSeconds(20), () -> "HEALTHY".equals(health("ledger")), "and back");
  }

  /** The endpoint does not answer for a while: nothing changes, and the agent says so. */
  private void keepsTheLastStateWhileTheMetadataIsAway() {
    metadata.unavailable(true);
    Poll.until(Duration.ofSeconds(10), () -> agent.log().contains("does not answer"), "a warning");
    awaitPolls(3);
    assertThat(health("payments")).isEqualTo("HEALTHY");
    assertThat(health("ledger")).isEqualTo("HEALTHY");
    metadata.unavailable(false);
    Poll.until(Duration.ofSeconds(10), () -> agent.log().contains("task metadata answers again"), "the outage's end");
  }

  private void startTask() throws Exception {
    metadata = new MetadataStandIn("awsvpc-task.json", "tether-sidecar");
    metadata.network("awsvpc", "127.0.0.1"); // the task's "ENI" is the loopback: everything here is one host
    metadata.ports("tether-sidecar", paymentsIngress, ledgerIngress);
    agent = new EcsAgentProcess(dir)
        .env("ECS_CONTAINER_METADATA_URI_V4", metadata.uri())
        .env("TETHER_NAMESPACE", "a")
        .env("TETHER_SERVICES", "[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":" + paymentsPort
            + ",\"ingressPort\":" + paymentsIngress + "},{\"discoveryName\":\"ledger\",\"container\":\"ledger\","
            + "\"appPort\":" + ledgerPort + ",\"ingressPort\":" + ledgerIngress + "}]")
        .env("TETHER_ADMIN_PORT", Integer.toString(Ports.free()))
        .env("TETHER_DRAIN_SECONDS", "20")
        .env("TETHER_METRICS_PORT", Integer.toString(metricsPort))
        .env("TETHER_LEASE_TTL", "3")
        .env("TETHER_METADATA_POLL_MS", Integer.toString(POLL_MS))
        .env("TETHER_SERVER", mesh.restApi().substring("http://".length())) // HOST:PORT; no TETHER_XDS: asked
        .env("TETHER_TOKEN", TestRegistry.AGENT_A)
        .env("ENVOY_BIN", Prerequisites.envoy().toString());
    agent.start();
  }

  /** A FakeApp on 127.0.0.1:port whose /healthz fails while the file {@code sick} (in the test's dir) exists. */
  private Process startApp(int port, String sick) throws Exception {
    Path program = Files.exists(dir.resolve("app")) ? dir.resolve("app") : FakeApp.install(dir);
    ProcessBuilder builder = new ProcessBuilder(program.toString(), Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(dir.resolve("app-" + port + ".log").toFile());
    builder.environment().put("FAKE_APP_SICK_FILE", dir.resolve(sick).toString());
    Process app = TestChildren.start(builder);
    apps.add(app);
    return app;
  }

  /** Waits until the agent has read the metadata {@code n} more times: evidence that polls have passed. */
  private void awaitPolls(int n) {
    int seen = metadata.requests();
    Poll.until(Duration.ofSeconds(10), () -> metadata.requests() >= seen + n, n + " more metadata polls");
  }

  private JsonNode endpoint(String service) {
    ApiClient.Response r = mesh.admin().get("/v1/namespaces/a/services/" + service + "/endpoints/" + TASK_ID);
    return r.status() == 200 ? r.body() : null;
  }

  private String health(String service) {
    JsonNode e = endpoint(service);
    return e == null ? "ABSENT" : e.path("health").asText("HEALTHY");
  }

  /** GET / on payments' ingress port: Envoy's ingress listener, forwarding to the app. */
  private int callThroughEnvoy() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + paymentsIngress + "/hello"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String metrics() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.io.IOException e) {
      return "no answer: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
