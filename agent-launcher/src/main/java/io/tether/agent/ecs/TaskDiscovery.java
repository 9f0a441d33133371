package io.tether.agent.ecs;

import io.tether.agent.registry.AdvertisedXds;
import io.tether.client.XdsInfo;
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
  /**
   * How long the metadata endpoint and the host agent each have to answer at start, and how long ECS has
   * to fill in the sidecar's network and (bridge) its HostPorts, before the task fails.
   */
  static final Duration START_DEADLINE = Duration.ofSeconds(60);

  /** The task as start-up found it: all its app containers running. */
  record Found(Metadata.Task task, Metadata.Container own, Placement placement, List<ServicePlan> plans) {}

  private final EcsSettings settings;
  private final TaskMetadata metadata;
  private final Duration deadline;

  TaskDiscovery(EcsSettings settings, TaskMetadata metadata) {
    this(settings, metadata, START_DEADLINE);
  }

  /** @param deadline {@link #START_DEADLINE}, shorter in tests */
  TaskDiscovery(EcsSettings settings, TaskMetadata metadata, Duration deadline) {
    this.settings = settings;
    this.metadata = metadata;
    this.deadline = deadline;
  }

  /** The task once its apps run; empty when ECS stopped it first (nothing to serve then). */
  Optional<Found> discover() throws IOException, InterruptedException {
    Metadata.Container own = awaitOwnNetwork();
    Metadata.Task task = retrying("the task metadata endpoint " + metadata.base(), metadata::task);
    TaskNetworkMode mode = TaskNetworkMode.of(own);
    log.info("task {} ({}:{}) in cluster {}, network mode {}, sidecar container {}", task.taskId(), task.family(),
        task.revision(), task.cluster(), mode, own.name());
    Placement placement = place(mode, own, task);
    log.info("placement: {}", placement);
    Optional<Ready> ready = awaitApps(mode, task, own);
    if (ready.isEmpty()) {
      return Optional.empty();
    }
    // Asked once the apps run, not before: a task waiting for its apps needs no xDS yet.
    Placement complete = placement.xds() != null ? placement : placement.withXds(advertisedXds(placement));
    return Optional.of(new Found(ready.get().task(), ready.get().own(), complete,
        ServicePlan.of(settings, mode, ready.get().task(), ready.get().own())));
  }

  /**
   * An awsvpc task without TETHER_XDS: what its control plane advertises at {@code GET /v1/xds}, asked
   * with the task's token like every start-up call (retried for {@link #deadline}); a refusal stops the
   * task naming TETHER_XDS, and so does advertised TLS that disagrees with TETHER_XDS_CA (the sidecar's
   * bootstrap speaks TLS exactly when that CA is set).
   */
  private HostPort advertisedXds(Placement placement) throws IOException, InterruptedException {
    String server = placement.restApi().toString();
    XdsInfo info;
    try {
      info = retrying("the control plane at " + server, () -> AdvertisedXds.ask(server, placement.restToken()));
    } catch (IllegalArgumentException e) {
      throw new TaskConfigException(e.getMessage() + ": set TETHER_XDS=HOST:PORT");
    }
    boolean ca = settings.direct().xdsCa() != null;
    if (info.tls() && !ca) {
      throw new TaskConfigException("the control plane serves xDS over TLS at " + info.address() + " (" + server
          + "/v1/xds): set TETHER_XDS_CA to the CA of its certificate (a file in the tether-sidecar container), "
          + "or TETHER_XDS to a plaintext xDS address");
    }
    if (!info.tls() && ca) {
      throw new TaskConfigException("TETHER_XDS_CA is set, but the control plane serves plaintext xDS at "
          + info.address() + " (" + server + "/v1/xds): remove TETHER_XDS_CA, or set TETHER_XDS to where xDS is "
          + "served over TLS");
    }
    HostPort xds;
    try {
      xds = HostPort.parse("the xDS address " + server + "/v1/xds advertises", info.address());
    } catch (IllegalArgumentException e) {
      throw new TaskConfigException(e.getMessage() + "; or set TETHER_XDS=HOST:PORT");
    }
    log.info("xDS at {}{}, as {}/v1/xds advertises", xds, info.tls() ? " (TLS)" : "", server);
    return xds;
  }

  /** The sidecar's own container, read until ECS gives it a network (it may answer before it has). */
  private Metadata.Container awaitOwnNetwork() throws IOException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      Metadata.Container own = retrying("the task metadata endpoint " + metadata.base(), metadata::ownContainer);
      if (own.networkMode().isPresent() || System.nanoTime() > end) {
        return own; // without a network by the deadline, TaskNetworkMode.of says so
      }
      Thread.sleep(settings.metadataPoll().toMillis());
    }
  }

  private record Ready(Metadata.Task task, Metadata.Container own) {}

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

  /**
   * Polls the metadata until every app container of TETHER_SERVICES runs and (bridge) the sidecar's
   * entry in the latest task has the HostPort of each ingress port; says what it waits for when that
   * changes. The apps may take as long as they take; the HostPorts have {@link #deadline} from when the
   * apps run.
   */
  private Optional<Ready> awaitApps(TaskNetworkMode mode, Metadata.Task first, Metadata.Container firstOwn)
      throws IOException, InterruptedException {
    MetadataWatch watch = new MetadataWatch(metadata);
    Metadata.Task task = first;
    List<String> said = null;
    long portsDeadline = 0;
    boolean appsSaid = false;
    while (true) {
      List<String> waiting = ServicePlan.notReady(settings, mode, task);
      Metadata.Container own = task.container(firstOwn.name()).orElse(firstOwn);
      if (waiting.isEmpty()) {
        if (!appsSaid) {
          log.info("app containers running: {}", describeApps(task));
          appsSaid = true;
          portsDeadline = System.nanoTime() + deadline.toNanos();
        }
        List<String> ports = ServicePlan.pendingHostPorts(settings, mode, own);
        if (ports.isEmpty()) {
          return Optional.of(new Ready(task, own));
        }
        if (System.nanoTime() > portsDeadline) {
          missingHostPorts(own);
        }
        waiting = ports;
      }
      if (task.stopping()) {
        log.info("the task's desired status is STOPPED before its apps ran ({}): nothing to serve", waiting);
        return Optional.empty();
      }
      if (!waiting.equals(said)) {
        log.info("waiting for {}: {}", appsSaid ? "the sidecar's port mappings" : "app containers",
            String.join("; ", waiting));
        said = waiting;
      }
      Thread.sleep(settings.metadataPoll().toMillis());
      task = watch.read().orElse(task);
    }
  }

  /**
   * The deadline passed without every HostPort: a mapping ECS never completed fails the task (exit 1), no
   * mapping at all is the task definition's fault (exit 2, from {@link ServicePlan#of}).
   */
  private void missingHostPorts(Metadata.Container own) throws IOException {
    for (EcsService s : settings.services()) {
      boolean mapped = own.ports().stream().anyMatch(p -> p.containerPort() != null
          && p.containerPort() == s.ingressPort());
      if (mapped && own.hostPort(s.ingressPort()).isEmpty()) {
        throw new IOException("the task metadata gave container " + own.name() + " no HostPort for containerPort "
            + s.ingressPort() + " (the ingressPort of " + s.discoveryName() + ") within " + deadline.toSeconds() + " s");
      }
    }
    throw new TaskConfigException(pendingMessage(own));
  }

  private String pendingMessage(Metadata.Container own) {
    for (EcsService s : settings.services()) {
      if (own.hostPort(s.ingressPort()).isEmpty()) {
        return "container " + own.name() + " has no port mapping of containerPort " + s.ingressPort() + " (the "
            + "ingressPort of " + s.discoveryName() + ") in the task metadata after " + deadline.toSeconds() + " s: add "
            + "{\"containerPort\": " + s.ingressPort() + "} to its portMappings (tether agent inject does)";
      }
    }
    throw new IllegalStateException("no HostPort missing");
  }

  private String describeApps(Metadata.Task task) {
    return String.join(", ", settings.services().stream().map(EcsService::container).distinct()
        .map(name -> name + task.container(name).flatMap(Metadata.Container::ipv4).map(ip -> " at " + ip).orElse(""))
        .toList());
  }

  /** A call at start-up, tried every second until it answers or {@link #START_DEADLINE} has passed. */
  private <T> T retrying(String what, Call<T> call) throws IOException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (IOException e) {
        if (System.nanoTime() > end) {
          throw new IOException(what + " did not answer within " + deadline.toSeconds() + " s: " + e.getMessage(), e);
        }
        if (attempt == 1) {
          log.warn("{} does not answer yet ({}); trying again every second for {} s", what, e.getMessage(),
              deadline.toSeconds());
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
