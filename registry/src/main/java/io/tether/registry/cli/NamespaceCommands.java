package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.client.ApiException;
import io.tether.client.ApiResponse;
import io.tether.client.TetherClient;
import io.tether.client.cli.Documents;
import io.tether.model.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether ns create|list|get|delete}. */
@Command(name = "ns", description = "Manage namespaces.", mixinStandardHelpOptions = true,
    subcommands = {NamespaceCommands.Create.class, NamespaceCommands.List.class,
        NamespaceCommands.Get.class, NamespaceCommands.Delete.class})
public final class NamespaceCommands {

  /**
   * Creates a namespace. On an existing one, {@code --description} changes the description and
   * nothing else (its {@code defaults} stay), by a read and a conditional write; {@code -f} replaces
   * the whole namespace with the file, as {@code svc apply} does.
   */
  @Command(name = "create", description = "Create a namespace, or change an existing one's description (-f replaces it whole).")
  static final class Create extends OperatorCommand {
    private static final int ATTEMPTS = 5;
    @Parameters(index = "0", paramLabel = "NAME", description = "The namespace, a DNS label, e.g. prod") String name;
    @Option(names = "--description", description = "Its description, e.g. --description production; on an existing namespace, only this changes")
    String description;
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
        description = "Namespace JSON or YAML (description, defaults), or - for stdin: replaces it whole")
    java.nio.file.Path file;

    @Override
    void run(TetherClient client) {
      if (file != null && description != null) {
        throw new CliException("--description and -f cannot be used together: put the description in the file");
      }
      Outcome outcome = file != null
          ? new Outcome("applied", client.putNamespace(name, Documents.readAsJson(file)))
          : createOrDescribe(client);
      if (api.json()) {
        printJson(outcome.namespace());
      } else {
        out().println("namespace/" + name + " " + outcome.verb());
        out().flush();
      }
    }

    private record Outcome(String verb, JsonNode namespace) {}

    /** Creates the namespace, or sets the description of the existing one under If-Match, retrying races. */
    private Outcome createOrDescribe(TetherClient client) {
      ObjectNode fresh = Json.MAPPER.createObjectNode();
      if (description != null) {
        fresh.put("description", description);
      }
      try {
        return new Outcome("created", client.createNamespace(name, Json.write(fresh)));
      } catch (ApiException e) {
        if (!"ALREADY_EXISTS".equals(e.code()) && !"PRECONDITION_FAILED".equals(e.code())) {
          throw e;
        }
      }
      for (int attempt = 1; ; attempt++) {
        ApiResponse current = client.namespace(name);
        ObjectNode updated = ((ObjectNode) current.json()).deepCopy();
        if (description != null) {
          updated.put("description", description);
        }
        try {
          return new Outcome("updated", client.replaceNamespace(name, Json.write(updated), current.etag()));
        } catch (ApiException e) {
          if (!"PRECONDITION_FAILED".equals(e.code()) || attempt == ATTEMPTS) {
            throw e;
          }
        }
      }
    }
  }

  @Command(name = "list", description = "List namespaces.")
  static final class List extends OperatorCommand {
    @Override
    void run(TetherClient client) {
      JsonNode page = client.namespaces();
      print(page, out -> {
        Table t = new Table("NAME", "SERVICES", "DESCRIPTION");
        page.path("items").forEach(n -> t.row(n.path("name").asText(), n.path("services").asInt(),
            n.path("description").asText(null)));
        t.print(out);
      });
    }
  }

  @Command(name = "get", description = {"Show a namespace as JSON (or -o yaml).",
      "Example: tether ns get prod --effective"})
  static final class Get extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The namespace") String name;
    @Option(names = "--effective", description = "Fill in the defaults of its tracing (samplingPercent)")
    boolean effective;

    @Override
    void run(TetherClient client) {
      printJson(client.namespace(name, effective).json());
    }
  }

  @Command(name = "delete", description = "Delete an empty namespace.")
  static final class Delete extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The namespace") String name;

    @Override
    void run(TetherClient client) {
      client.deleteNamespace(name);
      out().println("namespace/" + name + " deleted");
      out().flush();
    }
  }
}
