package io.tether.registry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One operator command run in-process with the CLI's error handling: its exit code, stdout and stderr. */
record CliRun(int exit, String out, String err) {
  static CliRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = io.tether.client.cli.CliErrors.install(new CommandLine(command))
        .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
