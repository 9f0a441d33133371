package io.tether.agent;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code tether agent …} in-process, as {@link AgentMain} does, capturing what it prints. */
public record Cli(int exitCode, String out, String err) {
  public static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AgentMain.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
