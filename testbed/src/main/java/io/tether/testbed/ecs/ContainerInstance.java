package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The emulated container instance: the ECS agent's task list and the Docker engine underneath. It places the
 * tasks the test runs (what RunTask does for an instance of one), hands each to a {@link TaskEngine}, and at
 * the end stops everything hard, as a host going down does.
 */
final class ContainerInstance {
  private final StandInOptions options;
  private final Ids ids;
  private final Tasks tasks = new Tasks();
  private final ImageTable images;
  private final ContainerConfig config;
  private final ContainerRuntime runtime;
  private final HealthMonitor health = new HealthMonitor();
  private final OutputPump log;
  final String containerInstanceArn;

  ContainerInstance(StandInOptions options, ImageTable images, Map<String, String> secrets, BridgeNetwork bridge,
      PortMapper ports, OutputPump log) {
    this.options = options;
    this.ids = new Ids(options.region, options.account, options.cluster);
    this.images = images;
    ContainerFiles files = new ContainerFiles(options.hostNetns);
    this.config = new ContainerConfig(options, files, secrets);
    this.runtime = new ContainerRuntime(options, config, files, bridge, ports, log);
    this.log = log;
    this.containerInstanceArn = ids.containerInstanceArn();
  }

  Tasks tasks() {
    return tasks;
  }

  /**
   * Starts a task of {@code body.taskDefinition} (a task definition, or describe-task-definition's output);
   * {@code body.cluster}, when given, must be this instance's. Throws IllegalArgumentException (ECS's
   * ClientException) for a definition RegisterTaskDefinition would refuse.
   */
  EcsTask run(JsonNode body) {
    if (!body.hasNonNull("taskDefinition")) {
      throw new IllegalArgumentException("ClientException: taskDefinition is required");
    }
    String cluster = body.path("cluster").asText(options.cluster);
    if (!cluster.equals(options.cluster)) {
      throw new IllegalArgumentException("ClusterNotFoundException: this container instance is in cluster "
          + options.cluster + ", not " + cluster);
    }
    TaskDefinition def = TaskDefinition.parse(body.get("taskDefinition"));
    String id = Ids.taskId();
    EcsTask task = new EcsTask(id, ids.taskArn(id), def, ids);
    TaskEngine engine = new TaskEngine(task, images, config, runtime, health, log, options.defaultStopTimeout);
    tasks.add(task, engine);
    def.containers().stream().filter(c -> !c.ignoredFields().isEmpty()).forEach(c ->
        log.note("task " + id + ": " + c.name() + ": not emulated, ignored: " + c.ignoredFields()));
    log.note("task " + id + " (" + def.family() + ":" + def.revision() + ", " + def.networkMode() + ") placed");
    Thread t = new Thread(engine, "task-" + id.substring(0, 8));
    t.setDaemon(true);
    t.start();
    return task;
  }

  /** Forgets tasks stopped longer ago than the task cleanup wait. */
  void sweep() {
    tasks.sweep(Duration.ofSeconds(options.taskCleanupWait));
  }

  /** SIGKILL to every container of every task, then waits (5 s at most) for them and removes their sandboxes. */
  void killEverything() {
    for (EcsTask t : tasks.all()) {
      tasks.engine(t.id).ifPresent(e -> {
        t.stop("UserInitiated", "the container instance is shutting down");
        e.killAll();
      });
    }
    for (EcsTask t : tasks.all()) {
      for (EcsContainer c : t.containers) {
        Process p;
        synchronized (t) {
          p = c.process;
        }
        if (p != null) {
          p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join();
        }
        runtime.tearDown(c); // idempotent: whatever the engine removed already is gone
      }
      synchronized (t) {
        t.containers.forEach(c -> c.tornDown = true);
      }
    }
    health.close();
    log.note("every container stopped at " + Instant.now());
  }
}
