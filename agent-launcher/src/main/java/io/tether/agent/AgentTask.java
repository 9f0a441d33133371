package io.tether.agent;

import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.bootstrap.GrpcBootstrap;
import io.tether.agent.bootstrap.ServedPort;
import io.tether.agent.envoy.EnvoyBinary;
import io.tether.agent.envoy.EnvoySupervisor;
import io.tether.agent.health.HealthCheck;
import io.tether.agent.health.HealthMonitor;
import io.tether.agent.hosts.HostsFile;
import io.tether.agent.process.AppProcess;
import io.tether.agent.process.ProgramPath;
import io.tether.agent.registry.Registration;
import io.tether.agent.registry.RegistryClient;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.process.PortOwner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * One task's life beside its sidecar: Envoy up and ready, aliases in the hosts file, the app started and
 * healthy, its endpoint registered HEALTHY under a kept-alive lease and following the app's health and
 * Envoy's (see {@link EndpointHealth});
 * then, on SIGTERM/SIGINT: DRAINING, Envoy drains, the drain time passes, the app is stopped (SIGTERM,
 * then SIGKILL after the grace), the endpoint is deregistered, Envoy quits, the hosts block goes, and
 * the agent exits with the app's status. A crashed app or an Envoy that cannot be kept up ends the task
 * the same way, minus the draining. An app that exits before it is registered fails the task at once
 * (exit 1), reported with the last lines it wrote. A signal before the app is healthy stops the task at
 * once, with nothing to drain: the agent exits 128 + the signal's number (143 for SIGTERM). However the
 * task ends, its work dir (the bootstraps hold the token) goes last.
 */
public final class AgentTask {
  private static final Logger log = LoggerFactory.getLogger(AgentTask.class);

  /** What ends a task's run. */
  enum Ending { SIGNAL, APP_EXITED, ENVOY_GAVE_UP }

  private final TaskSettings settings;
  private final RegistryClient registry;
  private final StartupGuard startup = new StartupGuard();
  private final LinkedBlockingQueue<Ending> endings = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> healthy = new CompletableFuture<>();
  private final EndpointHealth endpointHealth = new EndpointHealth();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-agent-task");
    t.setDaemon(true);
    return t;
  });
  private WorkDir workDir;
  private EnvoySupervisor envoy;
  private HostsFile hosts;
  private AppProcess app;
  private HealthMonitor health;
  private volatile Registration registration;

  public AgentTask(TaskSettings settings) {
    this.settings = settings;
    this.registry = new RegistryClient(settings.controlPlane(), settings.token());
  }

  /** Signals (SIGTERM, SIGINT) stop a task that is starting at once, and drain a started one. */
  public void handleSignals() {
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), this::onSignal);
    }
  }

  private void onSignal(Signal signal) {
    if (!startup.stop(signal)) { // start-up is over: startUp() reports a signal that stopped it
      log.info("SIG{} received: draining", signal.getName());
      endings.add(Ending.SIGNAL);
    }
  }

  /** Runs the task to its end; returns the exit status the agent should exit with. */
  public int run() throws InterruptedException {
    try {
      Signal stoppedBy = startUp();
      if (stoppedBy != null) {
        return 128 + stoppedBy.getNumber();
      }
      register();
      Ending ending = endings.take();
      log.info("task ending: {}", ending);
      return finish(ending);
    } catch (Exception e) {
      log.error("task failed: {}", e.getMessage());
      return 1;
    } finally {
      cleanUp();
    }
  }

  /**
   * Everything up to a healthy app, stopped at once by a signal; returns that signal, or null when
   * start-up completed. Registering is not part of it: a signal then drains the task as it would later.
   */
  private Signal startUp() throws Exception {
    startup.begin();
    Exception failure = null;
    try {
      start();
    } catch (Exception e) {
      failure = e; // after a signal this is only how the interrupt surfaced
    }
    Signal stoppedBy = startup.end();
    if (stoppedBy != null) {
      log.info("SIG{} received during start-up: stopping, with nothing to drain (not registered)", stoppedBy.getName());
      return stoppedBy;
    }
    if (failure != null) {
      throw failure;
    }
    return null;
  }

  private void start() throws Exception {
    workDir = WorkDir.open(settings.workDir(), settings.taskId());
    // Before anything starts: a missing program is one clear line, not an app exiting with 127.
    ProgramPath.resolve("the app's program", settings.appCommand().get(0));
    Map<String, String> appEnvironment = startProxy();
    publishAliases();
    startApp(appEnvironment);
    awaitHealthy();
  }

  private Map<String, String> startProxy() throws Exception {
    BootstrapSpec spec = new BootstrapSpec(settings.nodeId(), settings.service() != null ? settings.service() : settings.namespace(),
        settings.namespace(),
        settings.service() != null && !settings.proxyless()
            ? List.of(new ServedPort(settings.service(), settings.ingressPort(), settings.appPort())) : List.of(),
        settings.xdsHost(), settings.xdsPort(), settings.token(), settings.adminPort(), null);
    Map<String, String> environment = new HashMap<>();
    environment.put("TETHER_NAMESPACE", settings.namespace());
    if (settings.proxyless()) {
      Path bootstrap = workDir.writeSecret("grpc-bootstrap.json", GrpcBootstrap.json(spec));
      environment.put("GRPC_XDS_BOOTSTRAP", bootstrap.toString());
      return environment;
    }
    Path bootstrap = workDir.writeSecret("envoy-bootstrap.json", EnvoyBootstrap.json(EnvoyBootstrap.render(spec)));
    envoy = new EnvoySupervisor(new EnvoySupervisor.Settings(EnvoyBinary.locate(settings.envoyBin()), bootstrap,
        settings.adminPort(), settings.drainTime(), Duration.ofSeconds(60), settings.envoyRestarts(),
        settings.envoyBackoff(), Duration.ofSeconds(30), Duration.ofMinutes(2), workDir.path().resolve("envoy.log")),
        new EnvoySupervisor.Listener() {
          @Override
          public void onExited(int exitCode) {
            endpointHealth.envoyReady(false, "envoy exited with " + exitCode);
          }

          @Override
          public void onRestarted(int attempt, int exitCode) {
            log.warn("envoy restarted (attempt {}) after exiting with {}", attempt, exitCode);
          }

          @Override
          public void onReady() {
            endpointHealth.envoyReady(true, "restarted envoy ready");
          }

          @Override
          public void onGaveUp(int exitCode) {
            endings.add(Ending.ENVOY_GAVE_UP);
          }
        });
    envoy.start();
    log.info("envoy ready (admin on 127.0.0.1:{})", settings.adminPort());
    return environment;
  }

  /** Writes the namespace's aliases to the hosts file now and every 10 s (aliases change with services). */
  private void publishAliases() {
    if (settings.proxyless() || settings.hostsFile() == null) {
      return;
    }
    hosts = new HostsFile(settings.hostsFile());
    Runnable refresh = () -> {
      try {
        hosts.write(registry.aliases(settings.namespace()));
      } catch (RuntimeException | IOException e) {
        log.warn("could not refresh client aliases: {}", e.getMessage());
      }
    };
    refresh.run();
    timer.scheduleWithFixedDelay(refresh, 10, 10, TimeUnit.SECONDS);
  }

  private void startApp(Map<String, String> environment) {
    if (settings.service() != null) {
      requireAppPortFree();
    }
    app = AppProcess.start(settings.appCommand(), environment);
    app.onExit().thenRun(() -> endings.add(Ending.APP_EXITED));
    log.info("app started (pid {}): {}", app.pid(), String.join(" ", settings.appCommand()));
  }

  /**
   * An app whose port is taken would die with EADDRINUSE while the health check (on 127.0.0.1:port)
   * found whoever holds the port healthy, and the agent would register that process in the app's place.
   * The port is tried on the wildcard address, which fails while anyone listens on it on any address.
   */
  private void requireAppPortFree() {
    int port = settings.appPort();
    if (!PortOwner.isFree(port)) {
      String holder = PortOwner.listening(port).map(p -> ", held by " + p).orElse("");
      throw new IllegalStateException("the app's port " + port + " is already in use" + holder
          + ": stop that process or give the app another --app-port");
    }
  }

  /**
   * Checks the app until it is healthy, for at most the start timeout; an app that exits meanwhile
   * fails the task at once. The checks go on after, keeping the endpoint's health current until a drain
   * makes it DRAINING for good (see {@link Registration#setHealth}).
   */
  private void awaitHealthy() throws Exception {
    if (settings.service() == null) {
      return;
    }
    TaskSettings.HealthTiming timing = settings.healthTiming();
    HealthCheck check = HealthCheck.parse(settings.healthCheck(), settings.appPort())
        .withTiming(timing.interval(), timing.timeout())
        .withThresholds(timing.healthyThreshold(), timing.unhealthyThreshold());
    health = new HealthMonitor(check, this::onHealthChanged).start();
    try {
      CompletableFuture.anyOf(healthy, app.onExit()).get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the app never became healthy within " + settings.startTimeout().toSeconds()
          + " s: " + health.lastFailure());
    }
    if (!app.isAlive()) {
      throw new IllegalStateException(app.exitReport("before becoming healthy"));
    }
  }

  private void onHealthChanged(HealthMonitor.Status from, HealthMonitor.Status to, String reason) {
    if (to == HealthMonitor.Status.UNKNOWN) {
      return;
    }
    if (to == HealthMonitor.Status.HEALTHY && !app.isAlive()) {
      return; // whoever answers on the port now is not the app; its exit is ending the task
    }
    endpointHealth.appHealthy(to == HealthMonitor.Status.HEALTHY, "app " + to + " (" + reason + ")");
    if (to == HealthMonitor.Status.HEALTHY) {
      healthy.complete(null); // after the line above: registering reads the app's health from there
    }
  }

  /** Registers the healthy app's endpoint under a lease kept alive: HEALTHY, unless Envoy is down right now. */
  private void register() throws InterruptedException {
    if (settings.service() == null) {
      return;
    }
    if (!app.isAlive()) {
      throw new IllegalStateException(app.exitReport("before it was registered"));
    }
    registration = endpointHealth.register(health -> new Registration(registry, settings.namespace(), settings.service(),
        settings.taskId(), endpoint(health), Duration.ofSeconds(settings.leaseTtlSeconds())).start());
    log.info("registered {}:{} as {} of {}/{} ({})", settings.address(), settings.registeredPort(), settings.taskId(),
        settings.namespace(), settings.service(), registration.health());
  }

  private Endpoint endpoint(Health health) {
    return new Endpoint(settings.address(), settings.registeredPort(), settings.zone(), health, settings.taskId(),
        settings.host(), Map.of(), null);
  }

  private int finish(Ending ending) throws InterruptedException {
    if (ending == Ending.SIGNAL && registration != null) {
      try {
        registration.setHealth(Health.DRAINING);
      } catch (RuntimeException e) {
        log.warn("could not mark the endpoint DRAINING: {}", e.getMessage());
      }
    }
    if (ending == Ending.SIGNAL) {
      if (envoy != null) {
        envoy.drain();
      }
      // Callers (Envoys or proxyless clients) learn of DRAINING over xDS and open requests finish:
      // only then does the app stop.
      Thread.sleep(settings.drainTime().toMillis());
    }
    int status = app.stop(settings.stopGrace());
    if (registration != null) {
      registration.stop();
    }
    if (envoy != null) {
      envoy.stop(settings.stopGrace());
    }
    return ending == Ending.ENVOY_GAVE_UP ? Math.max(status, 1) : status;
  }

  /** Whatever the way out, nothing stays running, registered or on disk; every step is a no-op when already done. */
  private void cleanUp() throws InterruptedException {
    try {
      stopEverything();
    } finally {
      if (workDir != null) {
        workDir.close(); // last: Envoy writes its log until it has quit
      }
    }
  }

  private void stopEverything() throws InterruptedException {
    timer.shutdownNow();
    if (health != null) {
      health.close();
    }
    endpointHealth.close();
    if (app != null) {
      app.stop(settings.stopGrace());
    }
    if (registration != null) {
      registration.stop();
    }
    if (envoy != null) {
      envoy.stop(settings.stopGrace());
    }
    if (hosts != null) {
      try {
        hosts.remove();
      } catch (IOException e) {
        log.warn("could not remove the client aliases from {}: {}", settings.hostsFile(), e.getMessage());
      }
    }
  }
}
