package io.tether.agent.ecs;

import io.tether.agent.WorkDir;
import io.tether.agent.envoy.EnvoyAdmin;
import io.tether.agent.envoy.EnvoySupervisor;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.agent.metrics.ServiceConnectMetrics;
import io.tether.agent.net.HostName;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code tether agent ecs-task}: an ECS task's place in the mesh, from its sidecar container
 * (docs/ecs.md, "Task agent"). On the task's thread: start-up ({@link TaskDiscovery}), the ingress
 * Envoy, then every {@code TETHER_METADATA_POLL_MS} the task's metadata applied to each service's
 * {@link ServiceEndpoint}: its health, DRAINING once the desired status is STOPPED (Envoy drains its
 * listeners then, still serving for the drain time), deregistered once its app container stops. On the
 * main thread: the ending (SIGTERM/SIGINT, Envoy given up, a failure) and the way out, which
 * deregisters what is left and stops Envoy. SIGTERM exits 0: ECS sends it to the sidecar last, when the
 * apps that depend on it have stopped.
 */
public final class EcsTaskAgent {
  private static final Logger log = LoggerFactory.getLogger(EcsTaskAgent.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /** What ends the run, and the exit status it gives. */
  enum Ending {
    SIGNAL(0), FAILED(1), ENVOY_GAVE_UP(1), MISCONFIGURED(2);

    final int status;

    Ending(int status) {
      this.status = status;
    }
  }

  private final EcsSettings settings;
  private final TaskMetadata metadata;
  private final LinkedBlockingQueue<Ending> endings = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService taskThread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-ecs-task");
    t.setDaemon(true);
    return t;
  });
  // Written on the task thread, read on the main thread's way out (after the task thread stopped).
  private volatile List<ServiceEndpoint> endpoints = List.of();
  private volatile EnvoySupervisor envoy;
  private volatile MetricsEndpoint metrics;
  private volatile WorkDir workDir;
  private volatile boolean started;
  private MetadataWatch watch;
  private boolean draining;

  public EcsTaskAgent(EcsSettings settings) {
    this.settings = settings;
    this.metadata = new TaskMetadata(settings.metadataUri());
  }

  /** SIGTERM and SIGINT end the run, at any point of it. */
  public void handleSignals() {
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> {
        log.info("SIG{} received: deregistering what is left, stopping Envoy", signal.getName());
        endings.add(Ending.SIGNAL);
      });
    }
  }

  /** Runs until the task ends; returns the exit status (0 after SIGTERM, 1 on a failure, 2 when misconfigured). */
  public int run() throws InterruptedException {
    taskThread.execute(() -> guarded(this::startUp));
    Ending ending = endings.take();
    return finish(ending);
  }

  private void startUp() throws Exception {
    TaskDiscovery.Found found = new TaskDiscovery(settings, metadata).discover().orElse(null);
    if (found == null) {
      return; // stopped before its apps ran: SIGTERM comes next
    }
    EndpointFacts facts = EndpointFacts.of(settings, found.placement(), found.task(), HostName.ofThisHost());
    endpoints = found.plans().stream().map(plan -> new ServiceEndpoint(plan, facts)).toList();
    workDir = WorkDir.open(null, found.task().taskId());
    envoy = SidecarEnvoy.prepare(SidecarEnvoy.spec(settings, found.placement(), found.plans(), found.task().taskId()),
        settings, workDir, new EnvoyEvents());
    envoy.start();
    log.info("envoy ready: serving {} (admin on 127.0.0.1:{})", String.join(", ", found.plans().stream()
        .map(p -> p.service().discoveryName() + " on " + p.service().ingressPort()).toList()), settings.adminPort());
    // Outbound series carry the first served service (docs/task-metrics.md); no appProtocol is known here.
    metrics = MetricsEndpoint.start(settings.metrics(), new EnvoyAdmin(settings.adminPort()),
        new ServiceConnectMetrics.Task(settings.namespace(), settings.services().get(0).discoveryName(), Set.of()));
    Executor onTaskThread = this::post;
    for (ServiceEndpoint endpoint : endpoints) {
      endpoint.follow(found.task().container(endpoint.container()).orElseThrow(), onTaskThread);
    }
    watch = new MetadataWatch(metadata);
    apply(found.task());
    long poll = settings.metadataPoll().toMillis();
    taskThread.scheduleWithFixedDelay(() -> guarded(this::poll), poll, poll, TimeUnit.MILLISECONDS);
    started = true;
  }

  private void poll() throws InterruptedException {
    watch.read().ifPresent(this::apply);
  }

  /** The task's state of now, to every service: first whether the task is stopping, then each app container. */
  private void apply(Metadata.Task task) {
    if (task.stopping() && !draining) {
      draining = true;
      log.info("the task's desired status is STOPPED: endpoints DRAINING, envoy draining its listeners over {} s",
          Math.max(1, settings.drainTime().toSeconds())); // Envoy's --drain-time-s is at least 1 s
      endpoints.forEach(ServiceEndpoint::drain);
      envoy.drain();
    }
    for (ServiceEndpoint endpoint : endpoints) {
      task.container(endpoint.container()).ifPresent(endpoint::observe);
    }
  }

  /** Runs on the task thread unless the run is ending (a health verdict that comes during the way out is dropped). */
  private void post(Runnable work) {
    try {
      taskThread.execute(() -> guarded(work::run));
    } catch (RejectedExecutionException e) {
      // ending: finish() deregisters everything anyway
    }
  }

  /** One step on the task thread: what it throws ends the run, with the exit status its kind calls for. */
  private void guarded(Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the way out has begun
    } catch (TaskConfigException e) {
      log.error("misconfigured: {}", e.getMessage());
      endings.add(Ending.MISCONFIGURED);
    } catch (Exception e) {
      if (!taskThread.isShutdown()) {
        log.error("task agent failed: {}", e.getMessage() == null ? e.toString() : e.getMessage());
        endings.add(Ending.FAILED);
      }
    }
  }

  /** Whatever ended the run: the task thread stopped, every endpoint left deregistered, Envoy stopped. */
  private int finish(Ending ending) throws InterruptedException {
    stopTaskThread();
    String why = ending == Ending.SIGNAL ? "the sidecar was told to stop" : "the task agent is ending: " + ending;
    for (ServiceEndpoint endpoint : endpoints) {
      endpoint.deregister(why);
    }
    if (metrics != null) {
      metrics.close();
    }
    EnvoySupervisor e = envoy;
    if (e != null) {
      e.stop(STOP_GRACE); // its listeners have drained since the desired status turned STOPPED
      e.close();
      log.info("envoy stopped");
    }
    if (workDir != null) {
      workDir.close();
    }
    log.info("task agent exiting with status {} ({})", ending.status, ending);
    return ending.status;
  }

  /**
   * Start-up is interrupted at once (it may be waiting a long while: for the apps, for Envoy); a poll
   * under way is let finish its registry calls first, so that none is cut in half.
   */
  private void stopTaskThread() throws InterruptedException {
    taskThread.shutdown();
    if (!started || !taskThread.awaitTermination(5, TimeUnit.SECONDS)) {
      taskThread.shutdownNow();
    }
    if (!taskThread.awaitTermination(10, TimeUnit.SECONDS)) {
      log.warn("the task thread did not stop within 10 s; deregistering anyway");
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  /** Envoy's ups and downs, to every endpoint's health; Envoy given up ends the run. */
  private final class EnvoyEvents implements EnvoySupervisor.Listener {
    @Override
    public void onExited(int exitCode) {
      endpoints.forEach(e -> e.envoyReady(false, "envoy exited with " + exitCode));
    }

    @Override
    public void onRestarted(int attempt, int exitCode) {
      log.warn("envoy restarted (attempt {}) after exiting with {}", attempt, exitCode);
    }

    @Override
    public void onReady() {
      endpoints.forEach(e -> e.envoyReady(true, "restarted envoy ready"));
    }

    @Override
    public void onGaveUp(int exitCode) {
      log.error("envoy cannot be kept up (it exited with {}): ending the task", exitCode);
      endings.add(Ending.ENVOY_GAVE_UP);
    }
  }
}
