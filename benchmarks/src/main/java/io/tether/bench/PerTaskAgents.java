package io.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * N tasks on one host the per-task way: each its own {@code tether agent run} JVM beside its own Envoy
 * and app (a {@code sleep}, health check {@code none}: the app costs nothing and is up at once, so the
 * figures are the agent's), all started at once, as a host's tasks start after a deploy.
 */
final class PerTaskAgents implements AutoCloseable {
  static final String ENVOY_STARTED = "envoy started (pid";
  static final String ENVOY_READY = "envoy ready (admin on";
  static final String REGISTERED = "registered 127.0.0.1:";
  private static final Duration UP = Duration.ofSeconds(240);
  private final List<AgentProcess> agents = new ArrayList<>();
  private final AgentMesh mesh;

  private PerTaskAgents(AgentMesh mesh) {
    this.mesh = mesh;
  }

  /**
   * Starts n tasks, at most {@code atOnce} of them starting at a time (started, not registered yet): 50
   * default JVMs starting together on two cores starve the server in the same machine until agents give up.
   */
  static PerTaskAgents start(AgentMesh mesh, JvmArm arm, int n, int atOnce, String run)
      throws IOException, InterruptedException {
    PerTaskAgents tasks = new PerTaskAgents(mesh);
    try {
      for (int i = 0; i < n; i++) {
        tasks.awaitStarting(atOnce, UP);
        String id = run + "-t" + i;
        Path work = Files.createDirectories(mesh.dir().resolve(id));
        tasks.agents.add(AgentProcess.start(arm, mesh.classpath(), args(mesh, id, work), work.resolve("agent.log")));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      tasks.close();
      throw e;
    }
    return tasks;
  }

  /** Waits until fewer than {@code atOnce} agents are starting. */
  private void awaitStarting(int atOnce, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (agents.stream().filter(a -> a.millisTo(REGISTERED).isEmpty()).count() >= atOnce) {
      if (System.nanoTime() > deadline || agents.stream().anyMatch(a -> !a.alive())) {
        throw new IllegalStateException("agents did not come up: " + agents.stream().filter(a -> !a.alive())
            .map(a -> a.log().text()).findFirst().orElse("none exited, none registered within " + timeout));
      }
      Thread.sleep(50); // polling pace of the log files
    }
  }

  private static List<String> args(AgentMesh mesh, String id, Path work) {
    return List.of("run", "--server", mesh.server(), "--xds", "127.0.0.1:" + mesh.xdsPort(), "--token-file",
        mesh.tokenFile().toString(), "-n", AgentMesh.NS, "--service", AgentMesh.SERVICE, "--task-id", id,
        "--app-port", port(), "--ingress-port", port(), "--admin-port", port(), "--metrics-port", port(),
        "--address", "127.0.0.1", "--hosts-file", "none", "--health-check", "none", "--drain-time", "1",
        "--stop-grace", "2", "--work-dir", work.resolve("envoy").toString(), "--envoy-bin", mesh.envoy().toString(),
        "--", "sleep", "3600");
  }

  private static String port() {
    return Integer.toString(PortRange.next());
  }

  /** Waits until every agent has registered its endpoint (its task is fully up). */
  void awaitRegistered(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (AgentProcess agent : agents) {
      while (agent.millisTo(REGISTERED).isEmpty()) {
        if (!agent.alive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("agent " + agent.pid() + " did not register (alive: " + agent.alive()
              + "); its log:\n" + agent.log().text());
        }
        Thread.sleep(50); // polling pace of the log file; the times measured are the agent's own stamps
      }
    }
  }

  /** Each agent's memory now, its Envoy's, and its start-up times. */
  AgentFigures figures() throws IOException {
    AgentFigures f = new AgentFigures();
    for (AgentProcess agent : agents) {
      ProcMemory m = agent.memory();
      f.rss().add(m.rssBytes());
      f.anon().add(m.anonBytes());
      f.envoyRss().add(agent.envoyMemory(mesh.envoy()).rssBytes());
      f.envoyStarted().add(millis(agent.millisTo(ENVOY_STARTED)));
      f.envoyReady().add(millis(agent.millisTo(ENVOY_READY)));
      f.registered().add(millis(agent.millisTo(REGISTERED)));
    }
    return f;
  }

  /** The first agent, for a look inside its JVM (native memory tracking). */
  AgentProcess first() {
    return agents.get(0);
  }

  private static long millis(OptionalLong value) {
    return value.orElse(-1);
  }

  /** SIGTERM to every agent at once (they drain in parallel), then waits for each. */
  @Override
  public void close() {
    agents.forEach(AgentProcess::stop);
    agents.forEach(AgentProcess::close);
  }
}
