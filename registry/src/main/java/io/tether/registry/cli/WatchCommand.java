package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.TetherClient;
import io.tether.model.json.Json;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether watch [-n NS]}: follows {@code GET /v1/watch}, one line per change ({@code -o json}: the
 * change's JSON, one per line), until interrupted. docs/operations.md, "Watching the registry".
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Print registry changes as they happen, one line each, until interrupted (Ctrl-C).")
public final class WatchCommand extends OperatorCommand {
  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only this namespace's changes")
  String namespace;

  @Override
  void run(TetherClient client) {
    client.watch(namespace, line -> {
      if (line.startsWith("data:")) {
        print(line.substring(5).strip());
      }
    });
    throw new CliException("the server ended the watch (it is shutting down?); run `tether watch` again");
  }

  /** One change per line for json (a stream a tool can read line by line), one document each for yaml. */
  private void print(String data) {
    if (api.output() == ApiOptions.Output.yaml) {
      out().println("---");
      out().println(io.tether.client.cli.Documents.yaml(Json.read(data.getBytes(StandardCharsets.UTF_8), JsonNode.class))
          .stripTrailing());
    } else if (api.json()) {
      out().println(data);
    } else {
      out().println(line(Json.read(data.getBytes(StandardCharsets.UTF_8), JsonNode.class)));
    }
    out().flush();
  }

  /** {@code REVISION OP KIND ns[/service[/id]] [what it is now]}, e.g. {@code 812 put endpoint prod/web/t1 10.0.0.7:15000 HEALTHY}. */
  static String line(JsonNode c) {
    StringBuilder path = new StringBuilder(c.path("namespace").asText());
    if (!c.path("service").isNull() && c.has("service")) {
      path.append('/').append(c.path("service").asText());
    }
    if (!c.path("id").isNull() && c.has("id")) {
      path.append('/').append(c.path("id").asText());
    }
    String line = String.format("%-8s %-6s %-9s %s", c.path("revision").asText(), c.path("op").asText(),
        c.path("kind").asText(), path);
    JsonNode v = c.path("value");
    if ("endpoint".equals(c.path("kind").asText()) && v.isObject()) {
      line += " " + v.path("address").asText() + ":" + v.path("port").asText() + " " + v.path("health").asText("HEALTHY")
          + (v.path("drained").asBoolean() ? " drained" : "");
    }
    return line.stripTrailing();
  }
}
