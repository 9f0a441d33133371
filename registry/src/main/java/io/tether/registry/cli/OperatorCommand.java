package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
    try {
      run(api.client());
      return 0;
    } catch (CliException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  abstract void run(RestClient client);

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

  static String path(String... segments) {
    StringBuilder b = new StringBuilder("/v1");
    for (String s : segments) {
      b.append('/').append(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8));
    }
    return b.toString();
  }
}
