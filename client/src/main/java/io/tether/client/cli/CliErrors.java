package io.tether.client.cli;

import java.util.ConcurrentModificationException;
import java.util.NoSuchElementException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * How every command reports a failure: one line, {@code error: …}, saying what to do, never a stack
 * trace (TETHER_DEBUG=1 prints one); exit 2 for a usage error, 1 for a failure (docs/cli.md).
 */
public final class CliErrors {
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private CliErrors() {}

  /** Sets both handlers and the number converters on a root command line (they apply to its subcommands). */
  public static CommandLine install(CommandLine cli) {
    UsageMessages.registerConverters(cli);
    return cli.setParameterExceptionHandler(CliErrors::usage).setExecutionExceptionHandler(CliErrors::failure);
  }

  /**
   * The command name as the user typed it, for hints ("see './tether svc --help'"): the {@code tether}
   * script passes it as {@code TETHER_PROG}; else {@code tether}.
   */
  public static String prog() {
    String prog = CliEnvironment.get("TETHER_PROG");
    return prog == null ? "tether" : prog;
  }

  /** What a bug says: never the bare Java message of a NullPointerException, always how to learn more. */
  public static String internal(Throwable e) {
    return "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
        + " (TETHER_DEBUG=1 for the stack trace)";
  }

  /**
   * A bug rather than a failure the user can act on: the JDK's programming-error exceptions, and any
   * exception without a message. Everything else (a start failure, a refused file) carries its own words.
   */
  public static boolean isBug(Throwable e) {
    return e.getMessage() == null || e instanceof NullPointerException || e instanceof ClassCastException
        || e instanceof IndexOutOfBoundsException || e instanceof ArithmeticException
        || e instanceof UnsupportedOperationException || e instanceof NoSuchElementException
        || e instanceof ConcurrentModificationException || e instanceof ArrayStoreException;
  }

  private static int usage(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    debug(e);
    String name = cmd.getCommandSpec().qualifiedName();
    // tether agent runs as a JVM of its own whose root command is "agent".
    String command = name.startsWith("tether") ? prog() + name.substring("tether".length()) : prog() + " " + name;
    cmd.getErr().println("error: " + UsageMessages.of(e) + "; see '" + command + " --help'");
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
    cmd.getErr().println("tether: error: " + (isBug(cause) ? internal(cause) : cause.getMessage()));
    cmd.getErr().flush();
    return FAILURE;
  }

  /** Prints the stack trace when TETHER_DEBUG is set. */
  public static void debug(Throwable e) {
    if (CliEnvironment.get("TETHER_DEBUG") != null) {
      e.printStackTrace();
    }
  }
}
