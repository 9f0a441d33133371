package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.model.json.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the operator commands: the API options, output helpers, and error-to-exit-code handling. */
abstract class OperatorCommand implements Callable<Integer> {
  @Mixin
  ApiOptions api;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    TetherClient client = api.client();
    try {
      try {
        run(client);
      } catch (ApiException e) {
        throw CliException.from(e, client.base());
      }
      return 0;
    } catch (CliException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  abstract void run(TetherClient client);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  void printJson(JsonNode node) {
    try {
      out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      out().flush();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CliException(e.getMessage());
    }
  }
}
