package io.tether.agent.cli;

import io.tether.agent.host.AdvertisedXdsOfHost;
import io.tether.agent.host.HostAgent;
import io.tether.agent.host.HostConfigException;
import io.tether.agent.host.HostConfigLoader;
import io.tether.agent.host.HostSettings;
import io.tether.client.TetherClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether agent host --config FILE}: the host agent of an ECS container instance (docs/ecs.md
 * "Host agent"). A config it cannot run with is a usage error (exit 2) naming the field, and so is an
 * xDS address it can neither read there nor learn from the control plane (as {@code agent run}); SIGTERM or
 * SIGINT stops it (exit 0); an egress Envoy that cannot be kept up, or a failed start-up, exits 1.
 */
@Command(name = "host", mixinStandardHelpOptions = true,
    description = "Run the host agent beside the ECS agent: the REST and ADS relays for the tasks' sidecars, "
        + "the host's egress Envoy, alias names (DNS and the hosts file) and the clean-up of stopped tasks.")
public final class HostCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "The host agent's YAML or JSON config (docs/ecs.md)")
  Path config;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    HostSettings settings;
    try {
      HostSettings loaded = HostConfigLoader.load(config);
      // Every TetherClient of this process (the xDS lookup, the alias table, deregistrations) trusts serverCa.
      TetherClient.trustByDefault(loaded.controlPlane().serverCa());
      settings = AdvertisedXdsOfHost.complete(loaded, config);
    } catch (HostConfigException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    HostAgent agent = new HostAgent(settings);
    agent.handleSignals();
    return agent.run();
  }
}
