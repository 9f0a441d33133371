package io.tether.testbed.ecs;

import io.tether.process.BoundChildren;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs containers' health checks as Docker does: inside the container ({@code nsenter} into its PID 1's
 * network, mount, PID and UTS namespaces, like {@code docker exec}, with its environment and working
 * directory), the first {@code interval} after the start and then {@code interval} after each probe ends; a
 * probe running past {@code timeout} is killed and counts as failed with exit code -1. Docker's verdict
 * ({@link DockerHealthState}) becomes the container's {@link ContainerHealth}; the last 4096 bytes of the
 * probe's output are kept, as Docker keeps them.
 */
final class HealthMonitor implements AutoCloseable {
  private static final int KEPT_OUTPUT = 4096;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("health-timer"));
  private final ExecutorService probes = Executors.newCachedThreadPool(daemon("health-probe"));

  /** Probe result: Docker's exit code of the probe and its output. */
  private record Probe(int exitCode, String output) {}

  /** Starts probing {@code c}, which has just started; probing ends when it stops. */
  void watch(EcsTask task, EcsContainer c) {
    HealthCheck check = c.def.healthCheck();
    DockerHealthState state;
    synchronized (task) {
      state = new DockerHealthState(check, c.startedAt);
    }
    next(task, c, state);
  }

  private void next(EcsTask task, EcsContainer c, DockerHealthState state) {
    long delay = c.def.healthCheck().interval().toMillis();
    timer.schedule(() -> probes.execute(() -> probe(task, c, state)), delay, TimeUnit.MILLISECONDS);
  }

  private void probe(EcsTask task, EcsContainer c, DockerHealthState state) {
    long pid;
    Map<String, String> env;
    synchronized (task) {
      if (!c.running()) {
        return;
      }
      pid = c.pid;
      env = c.env;
    }
    Instant start = Instant.now();
    Probe result = run(pid, env, c);
    synchronized (task) {
      if (!c.running()) {
        return;
      }
      ContainerHealth.Status verdict = state.record(result.exitCode(), start);
      c.health = c.health.next(verdict, result.output(), result.exitCode(), Instant.now());
      task.notifyAll();
    }
    next(task, c, state);
  }

  private Probe run(long pid, Map<String, String> env, EcsContainer c) {
    HealthCheck check = c.def.healthCheck();
    List<String> command = new ArrayList<>(List.of(Commands.NSENTER, "-t", Long.toString(pid), "-n", "-m", "-p", "-u",
        "--wd=" + ContainerConfig.workingDir(c), "--"));
    command.addAll(check.probe());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(Path.of("/").toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = BoundChildren.shared().start(pb);
    } catch (RuntimeException e) {
      return new Probe(-1, "cannot run the health check: " + e.getMessage());
    }
    CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(p), probes);
    try {
      if (!p.waitFor(check.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Probe(-1, "Health check exceeded timeout (" + check.timeout().toSeconds() + "s)");
      }
      return new Probe(p.exitValue(), tail(output.get(1, TimeUnit.SECONDS)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Probe(-1, "interrupted");
    } catch (Exception e) {
      return new Probe(p.exitValue(), "");
    }
  }

  private static byte[] readAll(Process p) {
    try {
      return p.getInputStream().readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String tail(byte[] bytes) {
    int from = Math.max(0, bytes.length - KEPT_OUTPUT);
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    timer.shutdownNow();
    probes.shutdownNow();
  }
}
