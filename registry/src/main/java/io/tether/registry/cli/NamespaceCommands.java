package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.registry.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether ns create|list|get|delete}. */
@Command(name = "ns", description = "Manage namespaces.", mixinStandardHelpOptions = true,
    subcommands = {NamespaceCommands.Create.class, NamespaceCommands.List.class,
        NamespaceCommands.Get.class, NamespaceCommands.Delete.class})
public final class NamespaceCommands {

  @Command(name = "create", description = "Create (or update) a namespace.")
  static final class Create extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--description") String description;
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Namespace JSON (description, defaults)")
    java.nio.file.Path file;

    @Override
    void run(RestClient client) {
      byte[] body = file != null ? Files.read(file) : namespaceJson();
      JsonNode created = client.put(path("namespaces", name), body);
      if (api.json()) {
        printJson(created);
      } else {
        out().println("namespace/" + name + " applied");
        out().flush();
      }
    }

    private byte[] namespaceJson() {
      ObjectNode node = Json.MAPPER.createObjectNode();
      if (description != null) {
        node.put("description", description);
      }
      return Json.write(node);
    }
  }

  @Command(name = "list", description = "List namespaces.")
  static final class List extends OperatorCommand {
    @Override
    void run(RestClient client) {
      JsonNode page = client.get(path("namespaces"));
      if (api.json()) {
        printJson(page);
        return;
      }
      Table t = new Table("NAME", "SERVICES", "DESCRIPTION");
      page.path("items").forEach(n -> t.row(n.path("name").asText(), n.path("services").asInt(), n.path("description").asText(null)));
      t.print(out());
    }
  }

  @Command(name = "get", description = "Show a namespace as JSON.")
  static final class Get extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    void run(RestClient client) {
      printJson(client.get(path("namespaces", name)));
    }
  }

  @Command(name = "delete", description = "Delete an empty namespace.")
  static final class Delete extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    void run(RestClient client) {
      client.delete(path("namespaces", name));
      out().println("namespace/" + name + " deleted");
      out().flush();
    }
  }
}
