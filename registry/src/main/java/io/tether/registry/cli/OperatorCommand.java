package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.client.cli.Documents;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the operator commands: the API options, output helpers, and error-to-exit-code handling:
 * one {@code error: …} line, exit 1 for a failure, 2 for a value the caller must fix (docs/cli.md;
 * {@link CliException#report}).
 */
abstract class OperatorCommand implements Callable<Integer> {
  @Mixin
  ApiOptions api;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try {
      TetherClient client = api.client();
      try {
        return exitCode(client);
      } catch (ApiException e) {
        throw CliException.from(e, client.base(), api.tokenSource());
      }
    } catch (RuntimeException e) {
      return CliException.report(e, spec.commandLine().getErr());
    }
  }

  /** Runs the command and answers its exit code: 0, unless a command has more to say (svc diff --exit-code). */
  int exitCode(TetherClient client) {
    run(client);
    return 0;
  }

  abstract void run(TetherClient client);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints a document as -o asks: YAML for yaml, else indented JSON. */
  void printJson(JsonNode node) {
    out().println(api.output() == ApiOptions.Output.yaml ? Documents.yaml(node).stripTrailing() : Documents.json(node));
    out().flush();
  }

  /** A read: the document for -o json|yaml, else the table {@code table} fills from it. */
  void print(JsonNode node, Consumer<PrintWriter> table) {
    if (api.json()) {
      printJson(node);
    } else {
      table.accept(out());
    }
  }
}
