package io.tether.main;

import io.tether.registry.cli.EndpointCommands;
import io.tether.registry.cli.LeaseCommands;
import io.tether.registry.cli.NamespaceCommands;
import io.tether.registry.cli.ProxyCommands;
import io.tether.registry.cli.ServiceCommands;
import io.tether.registry.cli.StatusCommand;
import io.tether.registry.cli.WatchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tether} command: the server, and the operator commands that talk to it. */
@Command(name = "tether", mixinStandardHelpOptions = true, version = "tether " + TetherVersion.VERSION,
    description = "Self-hosted service-to-service networking: registry, xDS control plane, Envoy agent.",
    subcommands = {ServerCommand.class, NamespaceCommands.class, ServiceCommands.class,
        EndpointCommands.class, WatchCommand.class,
        ProxyCommands.List.class, ProxyCommands.Proxy.class, StatusCommand.class, LeaseCommands.class, CommandLine.HelpCommand.class})
public final class TetherMain {
  /**
   * A command that fails prints one line naming the cause, never a stack trace (set TETHER_DEBUG=1
   * for one), and exits 1.
   */
  private static int oneLine(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (System.getenv("TETHER_DEBUG") != null) {
      e.printStackTrace();
    }
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    cmd.getErr().println("tether: error: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
    return 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TetherMain()).setExecutionExceptionHandler(TetherMain::oneLine).execute(args));
  }
}
