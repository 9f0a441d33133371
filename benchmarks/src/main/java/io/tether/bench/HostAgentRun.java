package io.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One {@code tether agent host} JVM (its config as {@code deploy/host.yaml}, on this machine's loopback:
 * no DNS, the registry's own VIP range, a hosts file of its own) with N tasks on its host, each a
 * {@link RelayedTask}, the ECS agent's introspection answering for them ({@link TaskIntrospection}).
 */
final class HostAgentRun implements AutoCloseable {
  static final String STARTED = "host agent of namespace " + AgentMesh.NS;
  private final List<RelayedTask> tasks = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final TaskIntrospection ecs;
  private final AgentProcess agent;
  private final AgentMesh mesh;
  private final int apiPort = PortRange.next();
  private final int xdsPort = PortRange.next();

  private HostAgentRun(AgentMesh mesh, JvmArm arm, String run) throws IOException {
    this.mesh = mesh;
    Path work = Files.createDirectories(mesh.dir().resolve(run));
    ecs = new TaskIntrospection();
    agent = AgentProcess.start(arm, mesh.classpath(), List.of("host", "--config", config(work).toString()),
        work.resolve("agent.log"));
  }

  static HostAgentRun start(AgentMesh mesh, JvmArm arm, String run) throws IOException {
    return new HostAgentRun(mesh, arm, run);
  }

  private Path config(Path work) throws IOException {
    Path hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1\tlocalhost\n");
    return Files.writeString(work.resolve("host.yaml"), String.join("\n",
        "server: " + mesh.server(), "tokenFile: " + mesh.tokenFile(), "namespace: " + AgentMesh.NS,
        "address: 127.0.0.1", "xds: 127.0.0.1:" + mesh.xdsPort(), "listen: [127.0.0.1]",
        "allowedSources: [127.0.0.0/8]", "apiPort: " + apiPort, "xdsPort: " + xdsPort, "dns: none",
        "vipRange: 127.255.0.0/16", "hostsFile: " + hosts, "ecsAgent: " + ecs.url(), "envoyBin: " + mesh.envoy(),
        "adminPort: " + PortRange.next(), "workDir: " + work.resolve("host-work"), ""));
  }

  /** Waits for the host agent's start-up line (its relays and egress Envoy are up); milliseconds from exec. */
  long awaitStarted(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (agent.millisTo(STARTED).isEmpty()) {
      if (!agent.alive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("host agent did not start; its log:\n" + agent.log().text());
      }
      Thread.sleep(50); // polling pace of the log file; the time measured is the agent's own stamp
    }
    return agent.millisTo(STARTED).getAsLong();
  }

  /** Adds tasks until there are {@code n}, then waits for every task's Envoy to be ready through the relay. */
  void tasks(int n, Duration timeout) throws IOException, InterruptedException {
    while (tasks.size() < n) {
      String id = "t" + tasks.size();
      ecs.running(id);
      tasks.add(RelayedTask.start(mesh, id, apiPort, xdsPort, timer));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!tasks.stream().allMatch(RelayedTask::ready)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the tasks' Envoys were not ready through the relay; host agent log:\n"
            + agent.log().text());
      }
      Thread.sleep(50);
    }
  }

  /** The host agent's memory now (one element), its egress Envoy's, and each task's Envoy's. */
  AgentFigures figures(long startedMillis) throws IOException {
    AgentFigures f = new AgentFigures();
    ProcMemory m = agent.memory();
    f.rss().add(m.rssBytes());
    f.anon().add(m.anonBytes());
    f.envoyRss().add(agent.envoyMemory(mesh.envoy()).rssBytes());
    f.envoyReady().add(startedMillis);
    return f;
  }

  long taskEnvoysRss() throws IOException {
    long sum = 0;
    for (RelayedTask t : tasks) {
      sum += t.envoyRss();
    }
    return sum;
  }

  AgentProcess agent() {
    return agent;
  }

  @Override
  public void close() {
    tasks.forEach(RelayedTask::close);
    timer.shutdownNow();
    agent.close();
    ecs.close();
  }
}
