package io.tether.client.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command reports a failure: one line, {@code error: …}, saying what to do, never a stack
 * trace (TETHER_DEBUG=1 prints one); exit 2 for a usage error, 1 for a failure (docs/cli.md).
 */
public final class CliErrors {
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private CliErrors() {}

  /** Sets both handlers on a root command line (they apply to its subcommands). */
  public static CommandLine install(CommandLine cli) {
    return cli.setParameterExceptionHandler(CliErrors::usage).setExecutionExceptionHandler(CliErrors::failure);
  }

  private static int usage(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    debug(e);
    String hint = "";
    if (e instanceof UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      hint = suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
    }
    String name = cmd.getCommandSpec().qualifiedName();
    // tether agent runs as a JVM of its own whose root command is "agent".
    String command = name.startsWith("tether") ? name : "tether " + name;
    cmd.getErr().println("error: " + e.getMessage() + hint + "; see '" + command + " --help'");
    cmd.getErr().flush();
    return USAGE;
  }

  private static int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    debug(e);
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    // "tether: error:" as tether server has always said it (README "Exit status and start failures").
    cmd.getErr().println("tether: error: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
    cmd.getErr().flush();
    return FAILURE;
  }

  private static void debug(Exception e) {
    if (CliEnvironment.get("TETHER_DEBUG") != null) {
      e.printStackTrace();
    }
  }
}
