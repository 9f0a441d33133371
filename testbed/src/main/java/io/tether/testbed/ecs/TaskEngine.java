package io.tether.testbed.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Drives one task through its life, as the ECS agent's task manager does: each container from NONE to
 * RUNNING in {@link Dependencies} order, then, once the task's DesiredStatus is STOPPED (StopTask, an
 * essential container's exit, a start that failed), each container down in reverse order: SIGTERM, SIGKILL
 * after its stop timeout, STOPPED when its process has exited. One thread per task: it decides under the
 * task's monitor, acts (processes, namespaces, iptables) outside it, and waits for the next change or
 * deadline.
 */
final class TaskEngine implements Runnable {
  /** How long the engine waits at most between looks: a safety net, every change notifies. */
  private static final Duration IDLE = Duration.ofSeconds(1);

  private final EcsTask task;
  private final ImageTable images;
  private final ContainerConfig config;
  private final ContainerRuntime runtime;
  private final HealthMonitor health;
  private final OutputPump log;
  private final long defaultStopTimeout;

  TaskEngine(EcsTask task, ImageTable images, ContainerConfig config, ContainerRuntime runtime, HealthMonitor health,
      OutputPump log, long defaultStopTimeout) {
    this.task = task;
    this.images = images;
    this.config = config;
    this.runtime = runtime;
    this.health = health;
    this.log = log;
    this.defaultStopTimeout = defaultStopTimeout;
  }

  @Override
  public void run() {
    try {
      precheck();
      loop();
      log.note("task " + task.id + " STOPPED: " + task.stoppedReason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.note("task " + task.id + ": engine failed: " + e);
      task.stop("TaskFailedToStart", "emulation error: " + e.getMessage());
    }
  }

  /** StopTask: DesiredStatus STOPPED at once; the containers then stop in reverse dependsOn order. */
  void stop(String reason) {
    task.stop("UserInitiated", reason);
  }

  /** Abrupt death: SIGKILL to every running container at once (exit code 137). */
  void killAll() {
    synchronized (task) {
      task.containers.stream().filter(EcsContainer::running).forEach(this::kill);
    }
  }

  /** SIGKILL to one container; false if it is not running. What follows is what its exit causes. */
  boolean killContainer(String name) {
    synchronized (task) {
      EcsContainer c = task.container(name);
      if (c == null || !c.running()) {
        return false;
      }
      kill(c);
      return true;
    }
  }

  private void kill(EcsContainer c) {
    c.killSent = true;
    runtime.signal(c, true);
  }

  /** What fails a whole task before any container starts: its network mode, its secrets, its dependency graph. */
  private void precheck() {
    String mode = task.def.networkMode();
    String why = null;
    if (mode.equals("awsvpc")) {
      why = "the awsvpc network mode is not supported on an external instance (ECS Anywhere runs bridge, host "
          + "and none)";
    } else if (!List.of("bridge", "host", "none").contains(mode)) {
      why = "network mode " + mode + " is not supported on this instance";
    } else if (config.missingSecret(task.def) != null) {
      why = "ResourceInitializationError: unable to pull secrets or registry auth: secret " + config.missingSecret(task.def)
          + " was not found (not among the emulated host's secrets)";
    } else {
      why = Dependencies.invalid(task.def).orElse(null);
    }
    if (why != null) {
      failTask(why);
    }
  }

  private void failTask(String why) {
    synchronized (task) {
      task.stop("TaskFailedToStart", why);
      task.containers.forEach(c -> c.failed(null, Instant.now()));
      task.updateKnown();
    }
  }

  private void loop() throws InterruptedException {
    while (true) {
      Runnable action;
      synchronized (task) {
        Instant now = Instant.now();
        action = task.desiredStopped ? stopping(now) : starting(now);
        if (action == null) {
          action = tearDownNext();
        }
        task.updateKnown();
        if (action == null) {
          if (task.allStopped()) {
            return;
          }
          task.wait(waitMillis(now));
          continue;
        }
      }
      action.run();
    }
  }

  /**
   * The next step up, or null. The agent moves every container on its own, side by side: here the steps
   * without side effects (the pulls) are taken for all at once, under the lock, then the creates before the
   * starts, so that a container that starts sees its task's other containers created.
   */
  private Runnable starting(Instant now) {
    for (EcsContainer c : task.containers) {
      if (c.known == ContainerStatus.NONE) {
        c.known = ContainerStatus.MANIFEST_PULLED; // ordering never holds the manifest pull back
        task.pullStartedAt = task.pullStartedAt == null ? now : task.pullStartedAt;
      }
      if (c.known == ContainerStatus.STOPPED || c.known == ContainerStatus.RUNNING) {
        continue;
      }
      Dependencies.Verdict verdict = Dependencies.mayProgress(c, task, now);
      if (verdict.never().isPresent()) {
        containerFailed(c, "DependencyError: " + verdict.never().get(), now);
        return () -> {};
      }
      if (verdict.resolved() && c.known == ContainerStatus.MANIFEST_PULLED) {
        pull(c, now);
      }
    }
    for (ContainerStatus stage : List.of(ContainerStatus.PULLED, ContainerStatus.CREATED)) {
      for (EcsContainer c : task.containers) {
        if (c.known == stage && Dependencies.mayProgress(c, task, now).resolved()) {
          return stage == ContainerStatus.PULLED ? () -> attempt(c, () -> runtime.create(task, c)) : () -> attempt(c, () -> start(c));
        }
      }
    }
    return null;
  }

  /** The image is local: resolving it is the whole pull. */
  private void pull(EcsContainer c, Instant now) {
    Optional<ImageTable.Image> image = images.find(c.def.image());
    if (image.isEmpty()) {
      containerFailed(c, "CannotPullContainerError: failed to resolve ref " + c.def.image()
          + ": not found (not in the emulated host's image table)", now);
    } else {
      c.image = image.get();
      c.known = ContainerStatus.PULLED;
      task.pullStoppedAt = now;
    }
  }

  private void start(EcsContainer c) {
    runtime.start(task, c, code -> exited(c, code));
    log.note("task " + task.id + ": " + c.name() + " started, pid " + c.pid);
    if (c.def.hasHealthCheck()) {
      health.watch(task, c);
    }
  }

  /** Runs a create or start; Docker's failure stops the container with its message as the reason. */
  private void attempt(EcsContainer c, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      String why = e.getMessage() != null && e.getMessage().contains("Error") ? e.getMessage()
          : "CannotStartContainerError: " + e.getMessage();
      synchronized (task) {
        containerFailed(c, why, Instant.now());
      }
    }
  }

  /** A container that can never run: STOPPED; if it is essential, the task stops (it failed to start). */
  private void containerFailed(EcsContainer c, String why, Instant now) {
    log.note("task " + task.id + ": " + c.name() + ": " + why);
    c.failed(why, now);
    if (c.def.essential()) {
      task.stop("TaskFailedToStart", why);
    }
    task.notifyAll();
  }

  /** The process of {@code c} exited: an essential container's exit stops the task. */
  private void exited(EcsContainer c, int code) {
    synchronized (task) {
      c.exited(code, Instant.now());
      log.note("task " + task.id + ": " + c.name() + " exited " + c.exitCode);
      if (c.def.essential() && !task.desiredStopped) {
        task.stop("EssentialContainerExited", "Essential container in task exited");
      }
      task.notifyAll();
    }
  }

  /** The next step down: containers stop once their dependents have; SIGTERM, then SIGKILL at the deadline. */
  private Runnable stopping(Instant now) {
    for (EcsContainer c : task.containers) {
      if (c.known == ContainerStatus.STOPPED) {
        continue;
      }
      if (c.known != ContainerStatus.RUNNING) {
        c.failed(c.reason, now); // never started: nothing to signal
        continue;
      }
      if (!Dependencies.stopFirst(c, task).isEmpty()) {
        continue;
      }
      if (c.termSentAt == null) {
        c.termSentAt = now;
        return () -> runtime.signal(c, false);
      }
      if (!c.killSent && !now.isBefore(killAt(c))) {
        c.killSent = true;
        return () -> runtime.signal(c, true);
      }
    }
    return null;
  }

  private Instant killAt(EcsContainer c) {
    return c.termSentAt.plusSeconds(c.stopTimeoutSeconds(defaultStopTimeout));
  }

  /** A stopped container's sandbox is removed once (its process is gone, or it never had one). */
  private Runnable tearDownNext() {
    for (EcsContainer c : task.containers) {
      if (c.known == ContainerStatus.STOPPED && !c.tornDown) {
        c.tornDown = true;
        return () -> runtime.tearDown(c);
      }
    }
    return null;
  }

  private long waitMillis(Instant now) {
    Instant next = now.plus(IDLE);
    for (EcsContainer c : task.containers) {
      if (c.termSentAt != null && !c.killSent && killAt(c).isBefore(next)) {
        next = killAt(c);
      }
      Optional<Instant> timeout = Dependencies.nextTimeout(c, task);
      if (timeout.isPresent() && timeout.get().isBefore(next)) {
        next = timeout.get();
      }
    }
    return Math.max(1, Duration.between(now, next).toMillis());
  }
}
