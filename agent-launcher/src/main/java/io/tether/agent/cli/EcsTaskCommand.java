package io.tether.agent.cli;

import io.tether.agent.ecs.EcsEnvironment;
import io.tether.agent.ecs.EcsSettings;
import io.tether.agent.ecs.EcsTaskAgent;
import io.tether.client.TetherClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tether agent ecs-task}: the entrypoint command of an ECS task's {@code tether-sidecar}
 * container. It takes no options: ECS gives it its settings in the environment (docs/ecs.md), and a
 * variable that is missing or wrong stops it at once with exit status 2 and what to set.
 */
@Command(name = "ecs-task", mixinStandardHelpOptions = true,
    description = {"Join an ECS task to the mesh, from its tether-sidecar container: its ingress Envoy, its endpoints "
        + "(registered once healthy, DRAINING when ECS stops the task) and their health.",
        "Settings come from the environment: TETHER_NAMESPACE, TETHER_SERVICES, TETHER_HOST_AGENT, TETHER_ADMIN_PORT, "
            + "TETHER_METRICS_PORT, TETHER_METRICS_ADDRESS, TETHER_DRAIN_SECONDS, TETHER_LEASE_TTL, "
            + "TETHER_METADATA_POLL_MS, TETHER_LABELS (version=v2,track=canary); awsvpc: TETHER_SERVER, TETHER_TOKEN, TETHER_XDS (default: what the "
            + "control plane advertises at GET /v1/xds), TETHER_SERVER_CA and TETHER_XDS_CA (PEM CA files of an "
            + "https TETHER_SERVER and of a TLS xDS port). See docs/ecs.md."})
public final class EcsTaskCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    EcsSettings settings;
    try {
      settings = EcsEnvironment.read(System.getenv());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("tether agent ecs-task: " + e.getMessage());
      return 2;
    }
    if (settings.direct() != null) {
      // An awsvpc task's REST calls (registration, leases, GET /v1/xds) all trust TETHER_SERVER_CA.
      TetherClient.trustByDefault(settings.direct().serverCa());
    }
    EcsTaskAgent agent = new EcsTaskAgent(settings);
    agent.handleSignals();
    return agent.run();
  }
}
