package io.tether.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.testing.AgentRegistry;
import io.tether.agent.testing.AgentUnderTest;
import io.tether.registry.testing.HealthTrace;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task's Envoy killed under it (the stand-in, SIGKILL): callers' sidecars must stop sending to the dead
 * ingress port at once, so the endpoint is UNHEALTHY from the crash until the restarted Envoy is ready,
 * and HEALTHY after only while the app is healthy too.
 */
class AgentEnvoyCrashTest {
  @RegisterExtension
  static final AgentRegistry registry = new AgentRegistry();
  private AgentUnderTest task;
  private HealthTrace health;

  private void startRegistered(String taskId) throws Exception {
    startRegistered(registry.agent(TestEtcd.tempDir("agent-envoy-crash"), taskId), taskId);
  }

  private void startRegistered(AgentUnderTest agent, String taskId) throws Exception {
    task = agent;
    health = new HealthTrace(registry.admin(), "a", "web", taskId);
    task.start();
    health.until("HEALTHY", Duration.ofSeconds(60));
  }

  /** SIGKILLs the stand-in Envoy; returns its pid. */
  private long killEnvoy() {
    long pid = task.envoyPid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    return pid;
  }

  @Test
  void aKilledEnvoyMakesTheEndpointUnhealthyAtOnceAndHealthyAgainOnceItsSuccessorIsReady() throws Exception {
    startRegistered("c1");
    long killed = killEnvoy();

    long unhealthyMs = health.until("UNHEALTHY", Duration.ofSeconds(1));
    long healthyMs = unhealthyMs + health.until("HEALTHY", Duration.ofSeconds(20));
    System.out.printf("[AgentEnvoyCrashTest] SIGKILL -> UNHEALTHY %d ms, -> HEALTHY again %d ms (back-off 1 s)%n",
        unhealthyMs, healthyMs);

    assertThat(health.seen()).containsExactly("ABSENT", "HEALTHY", "UNHEALTHY", "HEALTHY");
    assertThat(task.envoyPid()).as("a new Envoy").isNotEqualTo(killed);
    List<String> journal = task.journal().lines();
    int restarted = journal.indexOf(journal.stream().filter(l -> l.startsWith("envoy start pid " + task.envoyPid()))
        .findFirst().orElseThrow());
    assertThat(journal.subList(restarted, journal.size())).as("HEALTHY after the new Envoy answered /ready")
        .contains("envoy GET /ready");
  }

  @Test
  void aRestartedEnvoyDoesNotMakeTheEndpointHealthyWhileTheAppIsNot() throws Exception {
    startRegistered("c2");
    Files.writeString(task.sickFile(), "");
    health.until("UNHEALTHY", Duration.ofSeconds(10));
    killEnvoy();

    Poll.until(Duration.ofSeconds(20), () -> task.log().contains("restarted envoy ready: endpoint now UNHEALTHY"),
        () -> "the new Envoy is ready; log:\n" + task.log());
    assertThat(health.now()).as("Envoy is ready, the app is not").isEqualTo("UNHEALTHY");
    Files.delete(task.sickFile());
    health.until("HEALTHY", Duration.ofSeconds(10));
    assertThat(health.seen()).containsExactly("ABSENT", "HEALTHY", "UNHEALTHY", "HEALTHY");
  }

  @Test
  void anEnvoyReadyAgainDuringTheDrainLeavesTheEndpointDraining() throws Exception {
    // The drain outlasts the restart (0.2 s back-off, then the stand-in's start): it is ready mid-drain.
    startRegistered(registry.agent(TestEtcd.tempDir("agent-envoy-crash"), "c3")
        .flag("--drain-time", "4").flag("--envoy-backoff-ms", "200"), "c3");
    killEnvoy();
    health.until("UNHEALTHY", Duration.ofSeconds(1));
    task.process().destroy(); // SIGTERM

    health.until("DRAINING", Duration.ofSeconds(5));
    Poll.until(Duration.ofSeconds(20), () -> task.log().contains("restarted envoy ready: endpoint stays DRAINING"),
        () -> "the new Envoy is ready during the drain; log:\n" + task.log());
    health.until("ABSENT", Duration.ofSeconds(20));
    assertThat(health.seen()).containsExactly("ABSENT", "HEALTHY", "UNHEALTHY", "DRAINING", "ABSENT");
    assertThat(task.awaitExit(Duration.ofSeconds(20))).isZero();
  }
}
