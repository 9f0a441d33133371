package io.tether.agent;

import io.tether.agent.cli.BootstrapCommand;
import io.tether.agent.cli.EcsTaskCommand;
import io.tether.agent.cli.InjectCommand;
import io.tether.agent.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tether agent}: run a task with its sidecar, print a bootstrap, add the sidecar to a task definition, or
 * be that sidecar in an ECS task.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "The Tether host agent: Envoy sidecars (or proxyless apps) beside tasks on any host.",
    subcommands = {RunCommand.class, BootstrapCommand.class, InjectCommand.class, EcsTaskCommand.class,
        CommandLine.HelpCommand.class})
public final class AgentMain {
  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }
}
