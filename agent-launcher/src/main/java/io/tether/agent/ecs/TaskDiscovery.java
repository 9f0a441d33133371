package io.tether.agent.ecs;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task agent's start-up up to the point where Envoy can be started (docs/ecs.md, "Task agent",
 * steps 1 to 4): who the task is, its network mode, where the mesh is, the app containers running,
 * and how each service is served. Blocking; runs on the task's thread, whose interrupt stops it.
 */
final class TaskDiscovery {
  private static final Logger log = LoggerFactory.getLogger(EcsTaskAgent.class);
  /** How long the metadata endpoint and the host agent have to answer at start, before the task fails. */
  static final Duration START_DEADLINE = Duration.ofSeconds(60);

  /** The task as start-up found it: all its app containers running. */
  record Found(Metadata.Task task, Metadata.Container own, Placement placement, List<ServicePlan> plans) {}

  private final EcsSettings settings;
  private final TaskMetadata metadata;

  TaskDiscovery(EcsSettings settings, TaskMetadata metadata) {
    this.settings = settings;
    this.metadata = metadata;
  }

  /** The task once its apps run; empty when ECS stopped it first (nothing to serve then). */
  Optional<Found> discover() throws IOException, InterruptedException {
    Metadata.Container own = retrying("the task metadata endpoint " + metadata.base(), metadata::ownContainer);
    Metadata.Task task = retrying("the task metadata endpoint " + metadata.base(), metadata::task);
    TaskNetworkMode mode = TaskNetworkMode.of(own);
    log.info("task {} ({}:{}) in cluster {}, network mode {}, sidecar container {}", task.taskId(), task.family(),
        task.revision(), task.cluster(), mode, own.name());
    Placement placement = place(mode, own, task);
    log.info("placement: {}", placement);
    Optional<Metadata.Task> running = awaitApps(mode, task);
    if (running.isEmpty()) {
      return Optional.empty();
    }
    List<ServicePlan> plans = ServicePlan.of(settings, mode, running.get(), own);
    return Optional.of(new Found(running.get(), own, placement, plans));
  }

  private Placement place(TaskNetworkMode mode, Metadata.Container own, Metadata.Task task)
      throws IOException, InterruptedException {
    if (mode == TaskNetworkMode.AWSVPC) {
      return Placement.direct(settings, own, task);
    }
    HostPort address = Placement.hostAgentAddress(settings, mode, DefaultGateway::ofThisContainer);
    HostAgent hostAgent = new HostAgent(address);
    HostAgent.HostInfo host = retrying("the host agent at " + address + " (is tether agent host running on this "
        + "container instance, listening there?)", hostAgent::host);
    return Placement.viaHostAgent(settings, mode, address, host, task);
  }

  /** Polls the metadata until every app container of TETHER_SERVICES runs; says what it waits for when that changes. */
  private Optional<Metadata.Task> awaitApps(TaskNetworkMode mode, Metadata.Task first) throws InterruptedException {
    MetadataWatch watch = new MetadataWatch(metadata);
    Metadata.Task task = first;
    List<String> said = null;
    while (true) {
      List<String> waiting = ServicePlan.notReady(settings, mode, task);
      if (waiting.isEmpty()) {
        log.info("app containers running: {}", describeApps(task));
        return Optional.of(task);
      }
      if (task.stopping()) {
        log.info("the task's desired status is STOPPED before its apps ran ({}): nothing to serve", waiting);
        return Optional.empty();
      }
      if (!waiting.equals(said)) {
        log.info("waiting for app containers: {}", String.join("; ", waiting));
        said = waiting;
      }
      Thread.sleep(settings.metadataPoll().toMillis());
      task = watch.read().orElse(task);
    }
  }

  private String describeApps(Metadata.Task task) {
    return String.join(", ", settings.services().stream().map(EcsService::container).distinct()
        .map(name -> name + task.container(name).flatMap(Metadata.Container::ipv4).map(ip -> " at " + ip).orElse(""))
        .toList());
  }

  /** A call at start-up, tried every second until it answers or {@link #START_DEADLINE} has passed. */
  private <T> T retrying(String what, Call<T> call) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException(what + " did not answer within " + START_DEADLINE.toSeconds() + " s: " + e.getMessage(), e);
        }
        if (attempt == 1) {
          log.warn("{} does not answer yet ({}); trying again every second for {} s", what, e.getMessage(),
              START_DEADLINE.toSeconds());
        }
        Thread.sleep(1000);
      }
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T get() throws IOException, InterruptedException;
  }
}
