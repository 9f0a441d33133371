package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.registry.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health checks run as Docker runs them, inside the container, and reported as the ECS agent reports them:
 * UNKNOWN (no {@code status} in the metadata) until a probe passes, failures ignored within the start
 * period, UNHEALTHY after {@code retries} failures in a row, HEALTHY again on a pass; a HEALTHY dependency
 * holds its dependent back before it is pulled. The probe here passes while a file of the test exists.
 */
class HealthTest {
  private static EcsHosts hosts;

  @BeforeAll
  static void setUp() {
    hosts = new EcsHosts("health", Map.of(), EmulatedEcs.Options.defaults());
  }

  @AfterAll
  static void tearDown() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void unknownThenHealthyThenUnhealthyThenHealthyAndTheDependentWaitsForHealthy() throws IOException {
    Path flag = hosts.dir.resolve("healthy");
    Path probes = hosts.dir.resolve("probes");
    ObjectNode checked = Defs.shellCheck(Defs.bash("checked", EcsHosts.IDLE), "echo x >> " + probes + "; test -f " + flag, 1, 2);
    ((ObjectNode) checked.get("healthCheck")).put("startPeriod", 120);
    ObjectNode dependent = Defs.dependsOn(Defs.bash("dependent", EcsHosts.IDLE), "checked", "HEALTHY");
    String id = hosts.ecs.runTask(Defs.task("health", "bridge", checked, dependent));

    Poll.until(Duration.ofSeconds(20), () -> lines(probes) >= 3, "three probes failed within the start period");
    JsonNode waiting = hosts.ecs.task(id);
    assertThat(EcsHosts.container(waiting, "checked").path("health").asText()).isEqualTo("UNKNOWN");
    assertThat(EcsHosts.container(waiting, "dependent").path("knownStatus").asText()).isEqualTo("MANIFEST_PULLED");
    JsonNode metadata = metadataTask(waiting);
    assertThat(EcsHosts.metadataContainer(metadata, "checked").orElseThrow().path("Health").toString()).isEqualTo("{}");
    assertThat(EcsHosts.metadataContainer(metadata, "dependent")).as("not pulled yet: not listed").isEmpty();
    assertThat(metadata.path("KnownStatus").asText()).isEqualTo("MANIFEST_PULLED");

    Files.writeString(flag, "");
    JsonNode running = hosts.await(id, "RUNNING", Duration.ofSeconds(20));
    JsonNode healthy = EcsHosts.metadataContainer(metadataTask(running), "checked").orElseThrow().path("Health");
    assertThat(healthy.path("status").asText()).isEqualTo("HEALTHY");
    assertThat(LifecycleTest.startedAt(running, "dependent")).isAfterOrEqualTo(
        java.time.Instant.parse(healthy.path("statusSince").asText()));

    Files.delete(flag);
    awaitHealth(id, "UNHEALTHY");
    JsonNode unhealthy = EcsHosts.metadataContainer(metadataTask(hosts.ecs.task(id)), "checked").orElseThrow().path("Health");
    assertThat(unhealthy.path("exitCode").asInt()).isEqualTo(1);
    assertThat(unhealthy.path("statusSince").asText()).isGreaterThan(healthy.path("statusSince").asText());
    Files.writeString(flag, "");
    awaitHealth(id, "HEALTHY");
    assertThat(hosts.ecs.task(id).path("lastStatus").asText()).as("health alone does not stop a task").isEqualTo("RUNNING");
    hosts.ecs.stopTask(id);
  }

  @Test
  void aProbeRunningPastItsTimeoutFails() {
    ObjectNode slow = Defs.shellCheck(Defs.bash("slow", EcsHosts.IDLE), "sleep 30", 1, 1);
    ((ObjectNode) slow.get("healthCheck")).put("timeout", 1);
    String id = hosts.ecs.runTask(Defs.task("slow", "bridge", slow));
    awaitHealth(id, "UNHEALTHY");
    JsonNode health = EcsHosts.metadataContainer(metadataTask(hosts.ecs.task(id)), "slow").orElseThrow().path("Health");
    assertThat(health.path("output").asText()).isEqualTo("Health check exceeded timeout (1s)");
    assertThat(health.path("exitCode").asInt()).isEqualTo(-1);
    hosts.ecs.stopTask(id);
  }

  private static void awaitHealth(String id, String status) {
    hosts.ecs.awaitTask(id, t -> t.path("containers").get(0).path("health").asText().equals(status), Duration.ofSeconds(20),
        "first container " + status);
  }

  /** The task as its first container reads it from the metadata endpoint (asked from the host: same server). */
  private static JsonNode metadataTask(JsonNode controlView) {
    String uri = controlView.path("containers").get(0).path("metadataUri").asText();
    String path = uri.substring("http://169.254.170.2".length()) + "/task";
    NetnsHttp.Response r = NetnsHttp.get(hosts.net, hosts.e1(), "169.254.170.2", 80, path);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static long lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
