package io.tether.agent;

import io.tether.agent.cli.BootstrapCommand;
import io.tether.agent.cli.EcsTaskCommand;
import io.tether.agent.cli.HostCommand;
import io.tether.agent.cli.InjectCommand;
import io.tether.agent.cli.RunCommand;
import io.tether.client.cli.CliErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tether agent}: run a task with its sidecar, run a host's agent for its containers, be the
 * sidecar of an ECS task, print a bootstrap, or add the sidecar to a task definition.
 */
// Named as it is typed, so that every usage line reads "tether agent run …" like the operator commands'.
@Command(name = "tether agent", mixinStandardHelpOptions = true,
    description = "The Tether host agent: Envoy sidecars (or proxyless apps) beside tasks on any host.",
    subcommands = {RunCommand.class, HostCommand.class, EcsTaskCommand.class, BootstrapCommand.class,
        InjectCommand.class,
        CommandLine.HelpCommand.class})
public final class AgentMain {
  /** The command line of {@code tether agent}, with the one-line errors of every tether command. */
  public static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new AgentMain()));
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
