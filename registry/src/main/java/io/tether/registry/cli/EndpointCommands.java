package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.TetherClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tether ep list NS SVC}. */
@Command(name = "ep", description = "Inspect endpoints.", mixinStandardHelpOptions = true,
    subcommands = {EndpointCommands.List.class})
public final class EndpointCommands {

  @Command(name = "list", description = "List a service's endpoints and their health.")
  static final class List extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NS") String namespace;
    @Parameters(index = "1", paramLabel = "SVC") String service;

    @Override
    void run(TetherClient client) {
      JsonNode page = client.endpoints(namespace, service);
      if (api.json()) {
        printJson(page);
        return;
      }
      Table t = new Table("ID", "ADDRESS", "PORT", "ZONE", "HEALTH", "HOST", "LEASE");
      page.path("items").forEach(e -> t.row(e.path("id").asText(), e.path("address").asText(), e.path("port").asInt(),
          e.path("zone").asText(null), e.path("health").asText("HEALTHY"), e.path("host").asText(null),
          e.has("leaseId") ? e.path("leaseId").asText() : null));
      t.print(out());
    }
  }
}
