package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.TetherClient;
import io.tether.model.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether svc apply|list|get|delete}, always within one namespace ({@code -n}). */
@Command(name = "svc", description = "Manage services.", mixinStandardHelpOptions = true,
    subcommands = {ServiceCommands.Apply.class, ServiceCommands.List.class,
        ServiceCommands.Get.class, ServiceCommands.Delete.class})
public final class ServiceCommands {

  abstract static class InNamespace extends OperatorCommand {
    @Option(names = {"-n", "--namespace"}, required = true, paramLabel = "NS") String namespace;
  }

  @Command(name = "apply", description = "Create or update a service from a ServiceSpec JSON file.")
  static final class Apply extends InNamespace {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "ServiceSpec JSON, or - for stdin")
    Path file;

    @Override
    void run(TetherClient client) {
      byte[] body = Files.read(file);
      String name;
      try {
        name = Json.MAPPER.readTree(body).path("discoveryName").asText("");
      } catch (java.io.IOException e) {
        throw new CliException(file + " is not JSON: " + e.getMessage());
      }
      if (name.isEmpty()) {
        throw new CliException(file + " has no discoveryName");
      }
      JsonNode applied = client.putService(namespace, name, body);
      if (api.json()) {
        printJson(applied);
      } else {
        out().println("service/" + namespace + "/" + name + " applied");
        out().flush();
      }
    }
  }

  @Command(name = "list", description = "List the services of a namespace.")
  static final class List extends InNamespace {
    @Override
    void run(TetherClient client) {
      JsonNode page = client.services(namespace);
      if (api.json()) {
        printJson(page);
        return;
      }
      Table t = new Table("NAME", "PROTOCOL", "ALIASES", "VIP", "ENDPOINTS");
      for (JsonNode s : page.path("items")) {
        java.util.List<String> aliases = new ArrayList<>();
        String vip = null;
        for (JsonNode a : s.path("clientAliases")) {
          aliases.add(a.path("dnsName").asText() + ":" + a.path("port").asInt());
          vip = a.path("vip").asText(null);
        }
        t.row(s.path("discoveryName").asText(), s.path("appProtocol").asText(),
            aliases.isEmpty() ? "-" : String.join(",", aliases), vip,
            s.path("healthyEndpoints").asInt() + "/" + s.path("endpoints").asInt() + " healthy");
      }
      t.print(out());
    }
  }

  @Command(name = "get", description = "Show a service spec as JSON.")
  static final class Get extends InNamespace {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--effective", description = "Fill in inherited and default policy")
    boolean effective;

    @Override
    void run(TetherClient client) {
      printJson(client.service(namespace, name, effective));
    }
  }

  @Command(name = "delete", description = "Delete a service, its endpoints and its VIP.")
  static final class Delete extends InNamespace {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    void run(TetherClient client) {
      client.deleteService(namespace, name);
      out().println("service/" + namespace + "/" + name + " deleted");
      out().flush();
    }
  }
}
