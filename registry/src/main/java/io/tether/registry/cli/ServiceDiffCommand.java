package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.model.InvalidSpecException;
import io.tether.model.ServiceSpec;
import io.tether.model.json.Json;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether svc diff -n NS -f spec}: what {@code svc apply} would change, against the stored spec,
 * client side. Both sides are read through the model's strict JSON, so that a field left out and a
 * field given as its default compare as they are stored. Exit 0; with {@code --exit-code}, 3 when
 * there are differences, as {@code git diff --exit-code} (docs/cli.md).
 */
@Command(name = "diff", description = {"Show what svc apply -f would change: fields added (+), removed (-) and "
    + "changed (~) against the stored spec; \"no changes\" when none.",
    "Example: tether svc diff -n prod -f payments.yaml --exit-code"})
final class ServiceDiffCommand extends ServiceCommands.InNamespace {
  static final int DIFFERENCES = 3;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "ServiceSpec JSON or YAML, or - for stdin")
  Path file;

  @Option(names = "--exit-code", description = "Exit 3 when there are differences (default: exit 0 either way)")
  boolean exitCode;

  private boolean differs;

  @Override
  int exitCode(TetherClient client) {
    super.exitCode(client);
    return exitCode && differs ? DIFFERENCES : 0;
  }

  @Override
  void run(TetherClient client) {
    ServiceCommands.SpecFile spec = ServiceCommands.SpecFile.read(file);
    JsonNode wanted = normalized(file.toString(), Json.write(spec.spec()));
    JsonNode stored;
    try {
      stored = normalized("the stored spec", Json.write(client.service(namespace, spec.name(), false)));
    } catch (ApiException e) {
      if (!e.isNotFound() || e.apiMessage() == null || !e.apiMessage().startsWith("service")) {
        throw e;
      }
      stored = Json.MAPPER.createObjectNode();
      out().println("service/" + namespace + "/" + spec.name() + " does not exist: apply would create it");
    }
    List<String> lines = SpecDiff.between(stored, wanted);
    differs = !lines.isEmpty();
    lines.forEach(out()::println);
    if (!differs) {
      out().println("no changes");
    }
    out().flush();
  }

  private static JsonNode normalized(String source, byte[] json) {
    try {
      return Json.MAPPER.valueToTree(Json.parse(json, ServiceSpec.class));
    } catch (InvalidSpecException e) {
      throw new CliException(source + ": " + e.getMessage());
    }
  }
}
