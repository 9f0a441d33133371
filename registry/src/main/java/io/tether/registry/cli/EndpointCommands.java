package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.TetherClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tether ep list -n NS SVC}. */
@Command(name = "ep", description = "Inspect endpoints.", mixinStandardHelpOptions = true,
    subcommands = {EndpointCommands.List.class})
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
            e.path("zone").asText(null), e.path("health").asText("HEALTHY"), e.path("host").asText(null),
            e.has("leaseId") ? e.path("leaseId").asText() : null));
        t.print(out);
      });
    }
  }
}
