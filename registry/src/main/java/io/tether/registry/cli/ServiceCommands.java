package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.client.cli.Documents;
import io.tether.model.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether svc apply|diff|list|get|delete}, always within one namespace ({@code -n}). */
@Command(name = "svc", description = "Manage services.", mixinStandardHelpOptions = true,
    subcommands = {ServiceCommands.Apply.class, ServiceDiffCommand.class, ServiceCommands.List.class,
        ServiceCommands.Get.class, ServiceCommands.Delete.class})
public final class ServiceCommands {

  abstract static class InNamespace extends OperatorCommand {
    @Mixin NamespaceOption ns;
    String namespace;

    @Override
    int exitCode(TetherClient client) {
      namespace = ns.resolve(api);
      return super.exitCode(client);
    }
  }

  /** A ServiceSpec file (JSON or YAML) and the discovery name it names, which is the service's name. */
  record SpecFile(JsonNode spec, String name) {
    static SpecFile read(Path file) {
      JsonNode spec = Documents.read(file);
      String name = spec.path("discoveryName").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException(file + " has no discoveryName");
      }
      return new SpecFile(spec, name);
    }

    /**
     * The API's refusal of this file's content, naming the file as svc diff does ("payments.yaml: unknown
     * field 'timout': did you mean 'timeout'?"); any other failure as it is.
     */
    RuntimeException refused(Path file, ApiException e) {
      if (!"INVALID_ARGUMENT".equals(e.code()) || e.apiMessage() == null) {
        return e;
      }
      String field = e.field() == null || e.apiMessage().contains(e.field()) ? "" : " (field: " + e.field() + ")";
      return new CliException(file + ": " + e.apiMessage() + field);
    }
  }

  @Command(name = "apply", description = {"Create or update a service from a ServiceSpec JSON or YAML file.",
      "Example: tether svc apply -n prod -f payments.yaml"})
  static final class Apply extends InNamespace {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
        description = "ServiceSpec JSON or YAML, or - for stdin")
    Path file;

    @Override
    void run(TetherClient client) {
      SpecFile spec = SpecFile.read(file);
      String name = spec.name();
      JsonNode applied;
      try {
        applied = client.putService(namespace, name, Json.write(spec.spec()));
      } catch (ApiException e) {
        throw spec.refused(file, e);
      }
      if (api.json()) {
        printJson(applied);
      } else {
        out().println("service/" + namespace + "/" + name + " applied");
        out().flush();
      }
    }
  }

  @Command(name = "list", description = {"List the services of a namespace.", "Example: tether svc list -n prod"})
  static final class List extends InNamespace {
    @Override
    void run(TetherClient client) {
      JsonNode page = client.services(namespace);
      print(page, out -> table(page).print(out));
    }

    private static Table table(JsonNode page) {
      Table t = new Table("NAME", "PROTOCOL", "ALIASES", "VIP", "ENDPOINTS");
      for (JsonNode s : page.path("items")) {
        java.util.List<String> aliases = new ArrayList<>();
        String vip = null;
        for (JsonNode a : s.path("clientAliases")) {
          aliases.add(a.path("dnsName").asText() + ":" + a.path("port").asInt());
          vip = a.path("vip").asText(null);
        }
        JsonNode from = s.path("importFrom");
        // An import has no protocol or endpoints of its own: the row says whose it stands for.
        t.row(s.path("discoveryName").asText(), from.isMissingNode() ? s.path("appProtocol").asText() : "import",
            aliases.isEmpty() ? "-" : String.join(",", aliases), vip,
            from.isMissingNode() ? s.path("healthyEndpoints").asInt() + "/" + s.path("endpoints").asInt() + " healthy"
                : "from " + from.path("namespace").asText() + "/" + from.path("service").asText());
      }
      return t;
    }
  }

  @Command(name = "get", description = {"Show a service spec as JSON (or -o yaml).",
      "Example: tether svc get -n prod payments --effective"})
  static final class Get extends InNamespace {
    @Parameters(index = "0", paramLabel = "NAME", description = "The service's discovery name") String name;
    @Option(names = "--effective", description = "Fill in the policy inherited from the namespace and the defaults")
    boolean effective;

    @Override
    void run(TetherClient client) {
      printJson(client.service(namespace, name, effective));
    }
  }

  @Command(name = "delete", description = "Delete a service, its endpoints and its VIP.")
  static final class Delete extends InNamespace {
    @Parameters(index = "0", paramLabel = "NAME", description = "The service's discovery name") String name;

    @Override
    void run(TetherClient client) {
      client.deleteService(namespace, name);
      out().println("service/" + namespace + "/" + name + " deleted");
      out().flush();
    }
  }
}
