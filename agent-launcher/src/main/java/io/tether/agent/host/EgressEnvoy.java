package io.tether.agent.host;

import io.tether.agent.WorkDir;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.envoy.EnvoyBinary;
import io.tether.agent.envoy.EnvoySupervisor;
import io.tether.agent.envoy.TracingEnvironment;
import io.tether.agent.net.HostName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's one egress proxy (docs/ecs.md "One egress proxy per host"): a client-only Envoy of the
 * namespace whose node asks for the aliases' listeners in the host's {@code vipRange}. It talks to the
 * control plane directly with the host's token (it is the host's own process, not a task's), its admin
 * on 127.0.0.1:{@code adminPort}. Supervised as a task's sidecar is ({@link EnvoySupervisor}): a crash
 * is restarted with back-off; an Envoy that cannot be kept up ends the host agent (its unit restarts it).
 *
 * <p>Threads: started and stopped by the agent's thread; the supervisor's thread does the rest and
 * calls {@code gaveUp} there.
 */
final class EgressEnvoy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EgressEnvoy.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final EnvoySupervisor supervisor;
  private final String nodeId;

  private EgressEnvoy(EnvoySupervisor supervisor, String nodeId) {
    this.supervisor = supervisor;
    this.nodeId = nodeId;
  }

  /**
   * Writes the bootstrap into {@code workDir}, starts Envoy and waits until it is ready. When the wait
   * fails or is interrupted, Envoy is stopped (and not restarted) before the exception is thrown.
   */
  static EgressEnvoy start(HostSettings settings, WorkDir workDir, Runnable gaveUp)
      throws TimeoutException, InterruptedException, java.io.IOException {
    String nodeId = nodeId(HostName.ofThisHost());
    BootstrapSpec spec = spec(settings, nodeId);
    Path bootstrap = workDir.writeSecret("egress-bootstrap.json", EnvoyBootstrap.json(EnvoyBootstrap.render(spec)));
    EnvoySupervisor.Launch launch = new EnvoySupervisor.Launch(binary(settings.egress().envoyBin()), bootstrap,
        settings.egress().adminPort(), Duration.ofSeconds(1), workDir.path().resolve("egress-envoy.log"),
        TracingEnvironment.of(spec));
    EnvoySupervisor.Restarts restarts = new EnvoySupervisor.Restarts(5, Duration.ofSeconds(1), Duration.ofSeconds(30),
        Duration.ofMinutes(2));
    EnvoySupervisor supervisor = new EnvoySupervisor(new EnvoySupervisor.Settings(launch, READY_TIMEOUT, restarts),
        new Events(gaveUp));
    EgressEnvoy envoy = new EgressEnvoy(supervisor, nodeId);
    try {
      supervisor.start();
    } catch (InterruptedException e) {
      envoy.close(); // the flag is clear here: close() can wait for Envoy to go
      throw e;
    } catch (TimeoutException | RuntimeException e) {
      envoy.close(); // an Envoy that is not ready, or a launch gone wrong, is not left running
      throw e;
    }
    return envoy;
  }

  private static Path binary(Path configured) {
    try {
      return EnvoyBinary.locate(configured);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("the egress Envoy: " + e.getMessage() + " (in the host agent's config: envoyBin)");
    }
  }

  /** Client-only (serves nothing), its listeners in the host's range, in the host's zone. */
  static BootstrapSpec spec(HostSettings settings, String nodeId) {
    HostSettings.ControlPlane cp = settings.controlPlane();
    return new BootstrapSpec(nodeId, "tether-host", settings.namespace(), List.of(), cp.xdsHost(), cp.xdsPort(),
        cp.token(), settings.egress().adminPort(), cp.xdsCaFile() == null ? null : cp.xdsCaFile().toString(),
        false, settings.names().vipRange().cidr(), settings.identity().zone());
  }

  /** {@code host-<hostname>-<random>}: unique per run, so a restarted agent's stream is a new node, never a duplicate. */
  static String nodeId(String hostName) {
    String name = hostName.replaceAll("[^A-Za-z0-9.-]", "-");
    return "host-" + (name.isEmpty() ? "unnamed" : name) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  String nodeId() {
    return nodeId;
  }

  boolean isRunning() {
    return supervisor.isRunning();
  }

  /** Quits Envoy (then SIGTERM, SIGKILL); no restart after this. An interrupt is kept for the caller. */
  @Override
  public void close() {
    try {
      supervisor.stop(STOP_GRACE);
      supervisor.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the host agent hears of its Envoy's life: logged; giving up ends the agent. */
  private record Events(Runnable gaveUp) implements EnvoySupervisor.Listener {
    @Override
    public void onExited(int exitCode) {
      log.warn("egress envoy exited with {}: callers on this host cannot reach aliases until it is back", exitCode);
    }

    @Override
    public void onRestarted(int attempt, int exitCode) {
      log.warn("egress envoy restarted (attempt {}) after exiting with {}", attempt, exitCode);
    }

    @Override
    public void onReady() {
      log.info("restarted egress envoy is ready");
    }

    @Override
    public void onGaveUp(int exitCode) {
      gaveUp.run();
    }
  }
}
