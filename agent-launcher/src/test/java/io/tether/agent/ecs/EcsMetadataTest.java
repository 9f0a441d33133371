package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The task metadata v4 answers, as ECS gives them (the fixtures), read into {@link Metadata}. */
class EcsMetadataTest {
  @Test
  void aBridgeTaskGivesItsIdStatusesContainersHealthAndDynamicHostPort() throws Exception {
    Metadata.Task task = Fixtures.task("bridge-task.json");

    assertThat(task.taskId()).isEqualTo("0b69d5c0d0c94fd1a34c3a4e6b7d0c1e");
    assertThat(task.cluster()).isEqualTo("prod-anywhere");
    assertThat(task.family() + ":" + task.revision()).isEqualTo("payments:7");
    assertThat(task.desiredStatus()).isEqualTo("RUNNING");
    assertThat(task.stopping()).isFalse();
    assertThat(task.availabilityZone()).as("external instances have none").isNull();
    assertThat(task.containers()).extracting(Metadata.Container::name).containsExactly("app", "tether-sidecar");

    Metadata.Container app = task.container("app").orElseThrow();
    assertThat(app.running()).isTrue();
    assertThat(app.networkMode()).contains("bridge");
    assertThat(app.ipv4()).contains("172.17.0.3");
    assertThat(app.health().status()).isEqualTo("HEALTHY");
    assertThat(app.health().statusSince()).isEqualTo("2026-06-30T10:15:21.730118513Z");
    assertThat(app.health().verdict()).contains(true);
    assertThat(app.dockerId()).startsWith("5e3d2f1c");

    Metadata.Container sidecar = task.container("tether-sidecar").orElseThrow();
    assertThat(sidecar.ports()).hasSize(2);
    assertThat(sidecar.hostPort(15000)).as("listed once per address family").contains(32768);
    assertThat(sidecar.hostPort(15001)).isEmpty();
  }

  @Test
  void theOwnContainerEndpointGivesTheSameContainer() throws Exception {
    Metadata.Container own = Fixtures.container("bridge-sidecar-container.json");

    assertThat(own).isEqualTo(Fixtures.task("bridge-task.json").container("tether-sidecar").orElseThrow());
    assertThat(TaskNetworkMode.of(own)).isEqualTo(TaskNetworkMode.BRIDGE);
  }

  @Test
  void aStoppingHostTaskGivesTheStoppedAppItsExitCodeAndNoHealthWithoutAHealthCheck() throws Exception {
    Metadata.Task task = Fixtures.task("host-task.json");

    assertThat(task.stopping()).isTrue();
    assertThat(task.availabilityZone()).isEqualTo("eu-west-1b");
    Metadata.Container ledger = task.container("ledger").orElseThrow();
    assertThat(ledger.stopped()).isTrue();
    assertThat(ledger.running()).isFalse();
    assertThat(ledger.exitCode()).isEqualTo(143);
    assertThat(ledger.health()).as("no health check in its definition").isNull();
    assertThat(ledger.ipv4()).as("host mode lists an empty address").isEmpty();
    Metadata.Container sidecar = task.container("tether-sidecar").orElseThrow();
    assertThat(TaskNetworkMode.of(sidecar)).isEqualTo(TaskNetworkMode.HOST);
    assertThat(sidecar.health().verdict()).contains(false);
    assertThat(sidecar.health().output()).isEqualTo("not ready\n");
    assertThat(sidecar.hostPort(15001)).contains(15001);
  }

  @Test
  void aStartingAwsvpcTaskHasCreatedAppsWhoseHealthIsUndecided() throws Exception {
    Metadata.Task task = Fixtures.task("awsvpc-task.json");

    Metadata.Container app = task.container("app").orElseThrow();
    assertThat(app.knownStatus()).isEqualTo("CREATED");
    assertThat(app.running()).isFalse();
    assertThat(app.health()).as("it has a health check").isNotNull();
    assertThat(app.health().verdict()).as("UNKNOWN: ECS leaves the status out").isEqualTo(Optional.empty());
    assertThat(app.ipv4()).contains("10.0.2.100");
    assertThat(TaskNetworkMode.of(task.container("tether-sidecar").orElseThrow())).isEqualTo(TaskNetworkMode.AWSVPC);
    assertThat(task.container("nope")).isEmpty();
  }

  @Test
  void unknownFieldsAndAbsentOnesAreFine() throws Exception {
    Metadata.Task task = TaskMetadata.parse("{\"TaskARN\":\"arn:aws:ecs:r:1:task/abc\",\"NewField\":{\"x\":1},"
        + "\"Containers\":[{\"Name\":\"app\",\"Networks\":[{\"NetworkMode\":\"host\",\"IPv4Addresses\":[null]}]}]}",
        Metadata.Task.class);

    assertThat(task.taskId()).as("an ARN of the old format, without the cluster").isEqualTo("abc");
    Metadata.Container app = task.container("app").orElseThrow();
    assertThat(app.running()).isFalse();
    assertThat(app.ports()).isEmpty();
    assertThat(app.ipv4()).isEmpty();
    assertThat(TaskMetadata.parse("{}", Metadata.Task.class).containers()).isEmpty();
  }
}
