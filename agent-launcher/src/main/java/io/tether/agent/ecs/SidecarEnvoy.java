package io.tether.agent.ecs;

import io.tether.agent.WorkDir;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.bootstrap.ServedPort;
import io.tether.agent.envoy.EnvoyBinary;
import io.tether.agent.envoy.EnvoySupervisor;
import io.tether.agent.envoy.TracingEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The task's Envoy, serving every service of the task, kept up by {@link EnvoySupervisor}. In bridge and
 * host mode a server-only node: no client aliases, since the task's apps call through the host agent's
 * Envoy. In awsvpc mode the apps share its network namespace and no host agent serves them, so it also
 * serves the aliases on their loopback VIPs, as {@code tether agent run}'s sidecar does.
 */
final class SidecarEnvoy {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  /** As {@code tether agent run}'s defaults: 5 crashes in a row, 1 s doubling to 30 s, reset after 2 min. */
  private static final EnvoySupervisor.Restarts RESTARTS = new EnvoySupervisor.Restarts(5, Duration.ofSeconds(1),
      Duration.ofSeconds(30), Duration.ofMinutes(2));

  private SidecarEnvoy() {}

  /**
   * The bootstrap: node {@code <first service>-<task id>}, the task's services, ADS to {@code placement}'s
   * xDS address (with its token, or none through the host agent's relay).
   */
  static BootstrapSpec spec(EcsSettings settings, Placement placement, List<ServicePlan> plans, String taskId) {
    String first = plans.get(0).service().discoveryName();
    List<ServedPort> served = plans.stream().map(ServicePlan::served).toList();
    return new BootstrapSpec(first + "-" + taskId, first, settings.namespace(), served, placement.xds().host(),
        placement.xds().port(), placement.xdsToken(), settings.adminPort(), xdsCa(settings, placement),
        placement.mode() != TaskNetworkMode.AWSVPC, null, placement.zone());
  }

  /**
   * TETHER_XDS_CA for an awsvpc task, which reaches xDS itself; none through the host agent, whose ADS
   * relay on the host's loopback or bridge is plaintext (the relay speaks TLS upstream: its xdsCaFile).
   */
  private static String xdsCa(EcsSettings settings, Placement placement) {
    if (placement.mode() != TaskNetworkMode.AWSVPC || settings.direct() == null || settings.direct().xdsCa() == null) {
      return null;
    }
    return settings.direct().xdsCa().toString();
  }

  /**
   * Writes the bootstrap (owner-only: it may hold the token) and makes Envoy's supervisor, not started:
   * the caller keeps it before starting it, so that whatever interrupts the start, it is stopped.
   */
  static EnvoySupervisor prepare(BootstrapSpec spec, EcsSettings settings, WorkDir workDir,
      EnvoySupervisor.Listener listener) throws IOException {
    Path bootstrap = workDir.writeSecret("envoy-bootstrap.json", EnvoyBootstrap.json(EnvoyBootstrap.render(spec)));
    EnvoySupervisor.Launch launch = new EnvoySupervisor.Launch(EnvoyBinary.locate(null), bootstrap,
        settings.adminPort(), settings.drainTime(), workDir.path().resolve("envoy.log"), TracingEnvironment.of(spec));
    return new EnvoySupervisor(new EnvoySupervisor.Settings(launch, READY_TIMEOUT, RESTARTS), listener);
  }
}
