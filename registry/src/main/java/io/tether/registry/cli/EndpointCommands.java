package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.TetherClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tether ep list -n NS SVC}, {@code tether ep drain|undrain|delete -n NS SVC ID}. */
@Command(name = "ep", description = "Inspect endpoints, drain them, delete them.", mixinStandardHelpOptions = true,
    subcommands = {EndpointCommands.List.class, EndpointCommands.Drain.class, EndpointCommands.Undrain.class,
        EndpointCommands.Delete.class})
public final class EndpointCommands {

  @Command(name = "list", description = {"List a service's endpoints and their health.",
      "Example: tether ep list -n prod payments"})
  static final class List extends OperatorCommand {
    @Mixin NamespaceOption ns;
    @Parameters(index = "0", paramLabel = "SVC", description = "The service's discovery name") String service;

    @Override
    void run(TetherClient client) {
      JsonNode page = client.endpoints(ns.resolve(api), service);
      print(page, out -> {
        Table t = new Table("ID", "ADDRESS", "PORT", "ZONE", "HEALTH", "HOST", "LEASE");
        page.path("items").forEach(e -> t.row(e.path("id").asText(), e.path("address").asText(), e.path("port").asInt(),
            e.path("zone").asText(null), health(e), e.path("host").asText(null),
            e.has("leaseId") ? e.path("leaseId").asText() : null));
        t.print(out);
      });
    }
  }

  /** The reported health, and whether an operator drained the endpoint (which the agent cannot undo). */
  private static String health(JsonNode e) {
    return e.path("health").asText("HEALTHY") + (e.path("drained").asBoolean() ? " (drained)" : "");
  }

  /** What drain, undrain and delete name: the endpoint. */
  abstract static class OneEndpoint extends OperatorCommand {
    @Mixin NamespaceOption ns;
    @Parameters(index = "0", paramLabel = "SVC", description = "Its service (discovery name)") String service;
    @Parameters(index = "1", paramLabel = "ID", description = "The endpoint's id") String id;

    String namespace() {
      return ns.resolve(api);
    }

    void done(JsonNode endpoint, String verb) {
      if (api.json() && endpoint != null) {
        printJson(endpoint);
      } else {
        out().println("endpoint/" + namespace() + "/" + service + "/" + id + " " + verb);
        out().flush();
      }
    }
  }

  @Command(name = "drain", description = "Stop new requests to an endpoint; it stays drained, whatever its agent "
      + "reports, until undrained.")
  static final class Drain extends OneEndpoint {
    @Override
    void run(TetherClient client) {
      done(client.drainEndpoint(namespace(), service, id, true), "drained");
    }
  }

  @Command(name = "undrain", description = "Lift an operator's drain: the endpoint gets traffic again when healthy.")
  static final class Undrain extends OneEndpoint {
    @Override
    void run(TetherClient client) {
      done(client.drainEndpoint(namespace(), service, id, false), "undrained");
    }
  }

  @Command(name = "delete", description = "Remove an endpoint from the registry (and its drain); a live agent "
      + "registers it again.")
  static final class Delete extends OneEndpoint {
    @Override
    void run(TetherClient client) {
      client.deleteEndpoint(namespace(), service, id);
      done(null, "deleted");
    }
  }
}
