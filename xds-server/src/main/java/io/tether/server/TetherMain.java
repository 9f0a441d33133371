package io.tether.server;

import io.tether.registry.cli.EndpointCommands;
import io.tether.registry.cli.NamespaceCommands;
import io.tether.registry.cli.ServiceCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tether} command: the server, and the operator commands that talk to it. */
@Command(name = "tether", mixinStandardHelpOptions = true, version = "tether 0.1.0",
    description = "Self-hosted service-to-service networking: registry, xDS control plane, Envoy agent.",
    subcommands = {ServerCommand.class, NamespaceCommands.class, ServiceCommands.class,
        EndpointCommands.class, CommandLine.HelpCommand.class})
public final class TetherMain {
  public static void main(String[] args) {
    System.exit(new CommandLine(new TetherMain()).execute(args));
  }
}
