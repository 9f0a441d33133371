package io.tether.testbed.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task's life on the emulated instance: dependsOn order up and down, StopTask's SIGTERM and SIGKILL after
 * stopTimeout, abrupt deaths, an essential container's exit, and the starts ECS refuses or fails.
 */
class LifecycleTest {
  private static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:token";
  /** Says when it got SIGTERM, then exits 0 a little later (a draining sidecar). */
  private static final String SIDECAR = "trap 'echo \"TERM $(date +%s%N)\"; sleep 0.3; exit 0' TERM; echo started; "
      + "sleep infinity & wait $!";
  /** PID 1 without a SIGTERM handler: the kernel drops the signal, only SIGKILL ends it (as in Docker). */
  private static final String STUBBORN = "echo started; sleep infinity";

  private static EcsHosts hosts;

  @BeforeAll
  static void setUp() {
    hosts = new EcsHosts("lifecycle", Map.of(SECRET_ARN, "s3cr3t"), EmulatedEcs.Options.defaults());
  }

  @AfterAll
  static void tearDown() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void containersStartAfterTheirDependenciesAndStopBeforeThemSigkillAfterStopTimeout() {
    ObjectNode sidecar = Defs.bash("sidecar", SIDECAR);
    ObjectNode app = Defs.dependsOn(Defs.bash("app", EcsHosts.IDLE), "sidecar", "START");
    ObjectNode stubborn = Defs.stopTimeout(Defs.dependsOn(Defs.bash("stubborn", STUBBORN), "sidecar", "START"), 2);
    String id = hosts.ecs.runTask(Defs.task("order", "bridge", sidecar, app, stubborn));
    JsonNode running = hosts.await(id, "RUNNING", Duration.ofSeconds(30));
    Instant sidecarStarted = startedAt(running, "sidecar");
    assertThat(startedAt(running, "app")).isAfterOrEqualTo(sidecarStarted);
    assertThat(startedAt(running, "stubborn")).isAfterOrEqualTo(sidecarStarted);

    Instant stop = Instant.now();
    hosts.ecs.stopTask(id);
    JsonNode stopping = hosts.ecs.task(id);
    assertThat(stopping.path("desiredStatus").asText()).as("DesiredStatus STOPPED at once").isEqualTo("STOPPED");
    JsonNode introspected = hosts.ecs.introspection("/v1/tasks?taskarn=" + running.path("taskArn").asText()).json();
    assertThat(introspected.path("DesiredStatus").asText()).isEqualTo("STOPPED");

    JsonNode stopped = hosts.await(id, "STOPPED", Duration.ofSeconds(20));
    assertThat(exitCode(stopped, "app")).isZero();
    assertThat(exitCode(stopped, "stubborn")).as("SIGKILLed").isEqualTo(137);
    assertThat(exitCode(stopped, "sidecar")).isZero();
    Duration stubbornLasted = Duration.between(stop, finishedAt(stopped, "stubborn"));
    assertThat(stubbornLasted).as("SIGKILL after stopTimeout 2 s").isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));
    Instant sidecarTerm = Instant.ofEpochSecond(0, Long.parseLong(hosts.awaitLine("sidecar", "TERM ", Duration.ofSeconds(5))));
    assertThat(sidecarTerm).as("the sidecar is signalled after its dependents exited")
        .isAfterOrEqualTo(finishedAt(stopped, "stubborn")).isAfterOrEqualTo(finishedAt(stopped, "app"));
    assertThat(stopped.path("stopCode").asText()).isEqualTo("UserInitiated");
    assertThat(stopped.path("stoppedReason").asText()).isEqualTo("Task stopped by user");
    JsonNode listed = hosts.ecs.introspection("/v1/tasks?taskarn=" + running.path("taskArn").asText()).json();
    assertThat(listed.path("KnownStatus").asText()).isEqualTo("STOPPED");
    assertThat(listed.path("DesiredStatus").asText()).isEqualTo("STOPPED");
  }

  @Test
  void killingTheTaskKillsEveryContainerAtOnce() {
    String id = hosts.ecs.runTask(Defs.task("kill", "bridge", Defs.bash("a", EcsHosts.IDLE), Defs.bash("b", STUBBORN)));
    hosts.await(id, "RUNNING", Duration.ofSeconds(30));
    Instant kill = Instant.now();
    hosts.ecs.killTask(id);
    JsonNode stopped = hosts.await(id, "STOPPED", Duration.ofSeconds(10));
    assertThat(exitCode(stopped, "a")).isEqualTo(137);
    assertThat(exitCode(stopped, "b")).isEqualTo(137);
    assertThat(Duration.between(kill, finishedAt(stopped, "b"))).as("no stop timeout waited").isLessThan(Duration.ofSeconds(1));
    assertThat(stopped.path("stopCode").asText()).isEqualTo("EssentialContainerExited");
  }

  @Test
  void anEssentialContainersDeathStopsTheTaskAndANonEssentialOnesDoesNot() {
    ObjectNode helper = Defs.essential(Defs.bash("helper", EcsHosts.IDLE), false);
    String id = hosts.ecs.runTask(Defs.task("essential", "bridge", Defs.bash("main", SIDECAR), Defs.bash("other", EcsHosts.IDLE),
        helper));
    hosts.await(id, "RUNNING", Duration.ofSeconds(30));
    hosts.ecs.killContainer(id, "helper");
    hosts.ecs.awaitTask(id, t -> exitCodeOrNull(t, "helper") != null, Duration.ofSeconds(10), "helper exited");
    assertThat(hosts.ecs.task(id).path("desiredStatus").asText()).isEqualTo("RUNNING");

    hosts.ecs.killContainer(id, "other");
    JsonNode stopped = hosts.await(id, "STOPPED", Duration.ofSeconds(10));
    assertThat(exitCode(stopped, "other")).isEqualTo(137);
    assertThat(exitCode(stopped, "main")).as("stopped with SIGTERM").isZero();
    assertThat(stopped.path("stoppedReason").asText()).isEqualTo("Essential container in task exited");
  }

  @Test
  void aContainerWaitsForItsDependencyToCompleteOrSucceed() {
    ObjectNode init = Defs.essential(Defs.bash("init", "echo init; exit 0"), false);
    ObjectNode app = Defs.dependsOn(Defs.bash("app", EcsHosts.IDLE), "init", "SUCCESS");
    String id = hosts.ecs.runTask(Defs.task("init", "bridge", init, app));
    JsonNode running = hosts.await(id, "RUNNING", Duration.ofSeconds(30));
    assertThat(startedAt(running, "app")).isAfterOrEqualTo(finishedAt(running, "init"));
    hosts.ecs.stopTask(id);

    ObjectNode failing = Defs.essential(Defs.bash("init", "exit 3"), false);
    String failed = hosts.ecs.runTask(Defs.task("init", "bridge", failing, Defs.dependsOn(Defs.bash("app", EcsHosts.IDLE),
        "init", "SUCCESS")));
    JsonNode stopped = hosts.await(failed, "STOPPED", Duration.ofSeconds(30));
    assertThat(EcsHosts.container(stopped, "app").path("startedAt").isMissingNode()).as("never started").isTrue();
    assertThat(stopped.path("stopCode").asText()).isEqualTo("TaskFailedToStart");
    assertThat(stopped.path("stoppedReason").asText()).contains("init", "exited 3");
  }

  @Test
  void startsEcsRefusesOrFailsEndStoppedWithTheirReason() {
    assertStoppedWith(Defs.task("unknown", "bridge", GoJson.object().put("name", "x").put("image", "no-such-image:1")),
        "CannotPullContainerError");
    assertStoppedWith(Defs.task("vpc", "awsvpc", Defs.bash("x", EcsHosts.IDLE)), "awsvpc");
    ObjectNode missing = Defs.bash("x", EcsHosts.IDLE);
    missing.withArray("secrets").addObject().put("name", "TOKEN").put("valueFrom", SECRET_ARN + "-missing");
    assertStoppedWith(Defs.task("secret", "bridge", missing), "ResourceInitializationError");
  }

  @Test
  void secretsAndTheMetadataUrisAreInTheEnvironment() {
    ObjectNode c = Defs.bash("env", "echo \"TOKEN=$TOKEN V4=$ECS_CONTAINER_METADATA_URI_V4 V3=$ECS_CONTAINER_METADATA_URI\"; "
        + EcsHosts.IDLE);
    c.withArray("secrets").addObject().put("name", "TOKEN").put("valueFrom", SECRET_ARN);
    String id = hosts.ecs.runTask(Defs.task("env", "bridge", c));
    JsonNode running = hosts.await(id, "RUNNING", Duration.ofSeconds(30));
    String uri = EcsHosts.container(running, "env").path("metadataUri").asText();
    String endpoint = uri.substring(uri.lastIndexOf('/') + 1);
    assertThat(hosts.awaitLine("env", "TOKEN=", Duration.ofSeconds(10)))
        .isEqualTo("s3cr3t V4=http://169.254.170.2/v4/" + endpoint + " V3=http://169.254.170.2/v3/" + endpoint);
    hosts.ecs.stopTask(id);
  }

  private static void assertStoppedWith(JsonNode definition, String reason) {
    String id = hosts.ecs.runTask(definition);
    JsonNode stopped = hosts.await(id, "STOPPED", Duration.ofSeconds(20));
    assertThat(stopped.path("stoppedReason").asText()).contains(reason);
    assertThat(stopped.path("stopCode").asText()).isEqualTo("TaskFailedToStart");
    stopped.path("containers").forEach(c -> assertThat(c.path("startedAt").isMissingNode()).isTrue());
  }

  static Instant startedAt(JsonNode task, String container) {
    return Instant.parse(EcsHosts.container(task, container).path("startedAt").asText());
  }

  static Instant finishedAt(JsonNode task, String container) {
    return Instant.parse(EcsHosts.container(task, container).path("finishedAt").asText());
  }

  static int exitCode(JsonNode task, String container) {
    Integer code = exitCodeOrNull(task, container);
    assertThat(code).as(container + "'s exit code in " + task).isNotNull();
    return code;
  }

  static Integer exitCodeOrNull(JsonNode task, String container) {
    JsonNode code = EcsHosts.container(task, container).path("exitCode");
    return code.isNull() || code.isMissingNode() ? null : code.asInt();
  }
}
