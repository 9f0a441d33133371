package io.tether.main;

import io.tether.client.cli.CliErrors;
import io.tether.registry.cli.CompletionCommand;
import io.tether.registry.cli.ContextCommands;
import io.tether.registry.cli.EndpointCommands;
import io.tether.registry.cli.AuthzCommands;
import io.tether.registry.cli.LeaseCommands;
import io.tether.registry.cli.TokenCommands;
import io.tether.registry.cli.NamespaceCommands;
import io.tether.registry.cli.ProxyCommands;
import io.tether.registry.cli.ServiceCommands;
import io.tether.registry.cli.StatusCommand;
import io.tether.registry.cli.WatchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tether} command: the server, and the operator commands that talk to it. A failure is one
 * {@code error: …} line, never a stack trace (TETHER_DEBUG=1 for one): {@link CliErrors}.
 */
@Command(name = "tether", mixinStandardHelpOptions = true, version = "tether " + TetherVersion.VERSION,
    description = "Self-hosted service-to-service networking: registry, xDS control plane, Envoy agent.",
    footerHeading = "%n",
    footer = {"Settings: each is its flag, else its environment variable (TETHER_SERVER, TETHER_SERVER_CA, TETHER_TOKEN, "
        + "TETHER_TOKEN_FILE, TETHER_NAMESPACE), else the current context's (tether context), else the default.",
        "Exit codes: 0 success, 1 failure, 2 usage error (a bad command, option, value or file), "
            + "3 differences found (svc diff --exit-code).",
        "See docs/cli.md for every command, contexts, output formats and completion."},
    subcommands = {ServerCommand.class, NamespaceCommands.class, ServiceCommands.class,
        EndpointCommands.class, AuthzCommands.class, WatchCommand.class, ProxyCommands.List.class,
        ProxyCommands.Proxy.class, StatusCommand.class, LeaseCommands.class, TokenCommands.class, ContextCommands.class,
        CompletionCommand.class,
        CommandLine.HelpCommand.class})
public final class TetherMain {
  /** The command line of {@code tether}, with its error handling: what {@link #main} runs, and tests. */
  public static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new TetherMain()));
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
