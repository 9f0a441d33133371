package io.tether.agent.host;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the endpoints of tasks ECS no longer runs on this host (docs/ecs.md "Host ports"): every
 * period it reads the ECS agent's task list and deletes each remembered endpoint whose task is not
 * listed or is {@code KnownStatus: STOPPED}. A task killed with its sidecar leaves no one to
 * deregister it; without this its endpoint would stay until its lease expired.
 *
 * <p>Only endpoints remembered before the list was asked for are judged by it, so a task that
 * registered meanwhile is never taken for gone. When the ECS agent cannot be reached, nothing is
 * deleted (the leases still expire whatever is really dead), and that is logged once per outage.
 *
 * <p>Thread confinement: everything runs on its one thread, {@code tether-host-sweeper}.
 */
final class StaleTaskSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StaleTaskSweeper.class);
  static final String STOPPED = "STOPPED";

  private final EcsIntrospection ecs;
  private final HostPorts ports;
  private final EndpointDeleter deleter;
  private final AtomicLong sweeps = new AtomicLong();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-host-sweeper");
    t.setDaemon(true);
    return t;
  });
  private boolean unreachable;

  private StaleTaskSweeper(EcsIntrospection ecs, HostPorts ports, EndpointDeleter deleter) {
    this.ecs = ecs;
    this.ports = ports;
    this.deleter = deleter;
  }

  static StaleTaskSweeper start(EcsIntrospection ecs, HostPorts ports, EndpointDeleter deleter, Duration every) {
    StaleTaskSweeper sweeper = new StaleTaskSweeper(ecs, ports, deleter);
    sweeper.thread.scheduleWithFixedDelay(sweeper::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return sweeper;
  }

  /** How many sweeps have finished, whatever their outcome: for a test to know that one has run since. */
  long sweeps() {
    return sweeps.get();
  }

  private void sweep() {
    try {
      long before = ports.generation();
      Map<String, String> running = readTasks();
      if (running != null) {
        for (HostPorts.Held held : ports.rememberedUpTo(before)) {
          String status = running.get(held.key().endpointId());
          if (status == null || status.equals(STOPPED)) {
            delete(held, status == null ? "no longer listed by the ECS agent" : "STOPPED");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("clean-up of stopped tasks failed: {}", e.toString());
    } finally {
      sweeps.incrementAndGet();
    }
  }

  /** The ECS agent's tasks, or null when it cannot be reached now. */
  private Map<String, String> readTasks() throws InterruptedException {
    try {
      Map<String, String> tasks = ecs.tasks();
      if (unreachable) {
        log.info("the ECS agent at {} answers again: cleaning up stopped tasks again", ecs.uri());
        unreachable = false;
      }
      return tasks;
    } catch (IOException e) {
      if (!unreachable) {
        log.warn("cannot read the ECS agent's tasks at {} ({}): keeping every endpoint until it answers again "
            + "(leases still expire dead ones)", ecs.uri(), e.toString());
        unreachable = true;
      }
      return null;
    }
  }

  private void delete(HostPorts.Held held, String why) {
    try {
      deleter.delete(held.key());
      ports.forget(held);
      log.info("deleted endpoint {} ({}): its task is {}", held.key(), held.hostPort(), why);
    } catch (RuntimeException e) {
      log.warn("could not delete endpoint {} of a task that is {}: {}", held.key(), why, e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
