package io.tether.agent;

import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.bootstrap.GrpcBootstrap;
import io.tether.agent.certs.CertificateFiles;
import io.tether.agent.certs.CertificateKeeper;
import io.tether.agent.envoy.EnvoyAdmin;
import io.tether.agent.envoy.EnvoyBinary;
import io.tether.agent.envoy.EnvoySupervisor;
import io.tether.agent.envoy.TracingEnvironment;
import io.tether.agent.health.AppHealthCheck;
import io.tether.agent.health.HealthMonitor;
import io.tether.agent.hosts.HostsFile;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.agent.process.AppProcess;
import io.tether.agent.process.ProgramPath;
import io.tether.agent.registry.Registration;
import io.tether.agent.registry.RegistryClient;
import io.tether.model.Endpoint;
import io.tether.model.Health;
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
  private MetricsEndpoint metrics;
  private ClientAliases aliases;
  private AppProcess app;
  private HealthMonitor health;
  private CertificateKeeper certificates;
  private volatile Registration registration;

  public AgentTask(TaskSettings settings) {
    this.settings = settings;
    this.registry = new RegistryClient(settings.controlPlane().restApi(), settings.controlPlane().token());
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
    workDir = WorkDir.open(settings.workDir(), settings.identity().taskId());
    // Before anything starts: a missing program is one clear line, not an app exiting with 127.
    ProgramPath.resolve("the app's program", settings.appCommand().get(0));
    Map<String, String> appEnvironment = startProxy();
    if (!settings.proxyless() && settings.hostsFile() != null) {
      aliases = ClientAliases.publish(new HostsFile(settings.hostsFile()), registry, settings.namespace(), timer);
    }
    startApp(appEnvironment);
    awaitHealthy();
  }

  private Map<String, String> startProxy() throws Exception {
    BootstrapSpec spec = settings.bootstrap();
    Map<String, String> environment = new HashMap<>();
    environment.put("TETHER_NAMESPACE", settings.namespace());
    if (settings.proxyless()) {
      CertificateFiles files = startCertificates();
      Path bootstrap = workDir.writeSecret("grpc-bootstrap.json", GrpcBootstrap.json(spec, files));
      environment.put("GRPC_XDS_BOOTSTRAP", bootstrap.toString());
      return environment;
    }
    Path bootstrap = workDir.writeSecret("envoy-bootstrap.json", EnvoyBootstrap.json(EnvoyBootstrap.render(spec)));
    EnvoySupervisor.Launch launch = new EnvoySupervisor.Launch(EnvoyBinary.locate(settings.envoy().bin()), bootstrap,
        settings.ports().admin(), settings.timings().drainTime(), workDir.path().resolve("envoy.log"),
        TracingEnvironment.of(spec));
    EnvoySupervisor.Restarts restarts = new EnvoySupervisor.Restarts(settings.envoy().restarts(),
        settings.envoy().backoff(), Duration.ofSeconds(30), Duration.ofMinutes(2));
    envoy = new EnvoySupervisor(new EnvoySupervisor.Settings(launch, Duration.ofSeconds(60), restarts),
        new EnvoyEvents(endpointHealth, () -> endings.add(Ending.ENVOY_GAVE_UP)));
    envoy.start();
    log.info("envoy ready (admin on 127.0.0.1:{})", settings.ports().admin());
    metrics = MetricsEndpoint.start(settings.metrics().endpoint(), new EnvoyAdmin(settings.ports().admin()),
        settings.metricsTask());
    return environment;
  }

  /** A proxyless app's certificate files, signed before the app starts; null without {@code --certs-dir}. */
  private CertificateFiles startCertificates() {
    TaskSettings.Certificates wanted = settings.certificates();
    if (wanted == null) {
      return null;
    }
    CertificateFiles files = new CertificateFiles(wanted.dir());
    certificates = new CertificateKeeper(registry, files, settings.namespace(), wanted.identity()).start();
    return files;
  }

  private void startApp(Map<String, String> environment) {
    if (settings.service() != null) {
      AppProcess.requirePortFree(settings.ports().app());
    }
    app = AppProcess.start(settings.appCommand(), environment);
    app.onExit().thenRun(() -> endings.add(Ending.APP_EXITED));
    log.info("app started (pid {}): {}", app.pid(), String.join(" ", settings.appCommand()));
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
    TaskSettings.HealthTiming timing = settings.health().timing();
    AppHealthCheck check = AppHealthCheck.parse(settings.health().check(), settings.ports().app())
        .withTiming(timing.interval(), timing.timeout())
        .withThresholds(timing.healthyThreshold(), timing.unhealthyThreshold());
    health = new HealthMonitor(check, this::onHealthChanged).start();
    Duration startTimeout = settings.timings().startTimeout();
    try {
      CompletableFuture.anyOf(healthy, app.onExit()).get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the app never became healthy within " + startTimeout.toSeconds()
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
    TaskSettings.Identity id = settings.identity();
    registration = endpointHealth.register(health -> new Registration(registry, id.namespace(), id.service(),
        id.taskId(), endpoint(health), Duration.ofSeconds(settings.timings().leaseTtlSeconds())).start());
    log.info("registered {}:{} as {} of {}/{} ({})", id.address(), settings.registeredPort(), id.taskId(),
        id.namespace(), id.service(), registration.health());
  }

  private Endpoint endpoint(Health health) {
    TaskSettings.Identity id = settings.identity();
    // Behind Envoy's ingress the endpoint takes mutual TLS; a proxyless app's port speaks plaintext only.
    Map<String, String> metadata = settings.proxyless() ? Map.of() : Map.of(Endpoint.TLS_KEY, Endpoint.TLS_MESH);
    return new Endpoint(id.address(), settings.registeredPort(), id.zone(), health, id.taskId(), id.host(), metadata,
        null, id.labels());
  }

  private int finish(Ending ending) throws InterruptedException {
    return new TaskEnd(settings.timings()).finish(ending, registration, envoy, app);
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
      app.stop(settings.timings().stopGrace());
    }
    if (registration != null) {
      registration.stop();
    }
    if (envoy != null) {
      envoy.stop(settings.timings().stopGrace());
    }
    if (aliases != null) {
      aliases.remove();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (certificates != null) {
      certificates.close();
    }
  }
}
