package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestChildren;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start-ups that end before anything is served: a task that names a container it lacks, a SIGTERM while waiting. */
class EcsStartupTest {
  private MetadataStandIn metadata;
  private EcsAgentProcess agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.kill();
    }
    if (metadata != null) {
      metadata.close();
    }
  }

  /** An awsvpc task whose control plane is never reached: these start-ups end before they would call it. */
  private EcsAgentProcess agent(String services) throws Exception {
    metadata = new MetadataStandIn("awsvpc-task.json", "tether-sidecar");
    agent = new EcsAgentProcess(TestChildren.tempDir("ecs-startup"))
        .env("ECS_CONTAINER_METADATA_URI_V4", metadata.uri())
        .env("TETHER_NAMESPACE", "a")
        .env("TETHER_SERVICES", services)
        .env("TETHER_METADATA_POLL_MS", "100")
        .env("TETHER_SERVER", "127.0.0.1:9")
        .env("TETHER_TOKEN", "unused");
    return agent;
  }

  @Test
  void aContainerTheTaskDoesNotHaveStopsTheAgentWithExitStatus2() throws Exception {
    agent("[{\"discoveryName\":\"payments\",\"container\":\"api\",\"appPort\":8080,\"ingressPort\":15000}]").start();

    assertThat(agent.awaitExit(Duration.ofSeconds(60))).as(agent.log()).isEqualTo(2);
    assertThat(agent.log()).contains("TETHER_SERVICES names container 'api', which this task does not have "
        + "(it has app, ledger, tether-sidecar)");
  }

  @Test
  void aSigtermWhileWaitingForTheAppsEndsTheAgentAtOnceWithNothingStarted() throws Exception {
    agent("[{\"discoveryName\":\"payments\",\"container\":\"app\",\"appPort\":8080,\"ingressPort\":15000}]").start();
    Poll.until(Duration.ofSeconds(60), () -> agent.log().contains("waiting for app containers: app is CREATED"),
        () -> "waiting; log:\n" + agent.log());

    long signalled = System.nanoTime();
    agent.process().destroy();

    assertThat(agent.awaitExit(Duration.ofSeconds(10))).as(agent.log()).isZero();
    assertThat((System.nanoTime() - signalled) / 1_000_000).as("ms to exit").isLessThan(5_000);
    assertThat(agent.log()).doesNotContain("envoy started").contains("task agent exiting with status 0 (SIGNAL)");
  }
}
