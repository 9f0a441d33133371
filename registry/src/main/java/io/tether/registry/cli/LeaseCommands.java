package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.TetherClient;
import io.tether.client.cli.CliErrors;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether lease list [-n NS]} and {@code tether lease revoke ID} (docs/operations.md, "Leases"). */
@Command(name = "lease", description = "List agents' leases and their endpoints, or revoke one.",
    mixinStandardHelpOptions = true, subcommands = {LeaseCommands.List.class, LeaseCommands.Revoke.class})
public final class LeaseCommands {

  @Command(name = "list", description = "List the live leases, their time left and the endpoints on each.")
  static final class List extends OperatorCommand {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only this namespace's leases")
    String namespace;

    @Override
    void run(TetherClient client) {
      String query = namespace == null ? "" : "?namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8);
      JsonNode body = client.call("GET", "/v1/leases" + query, null).json();
      if (api.json()) {
        printJson(body);
        return;
      }
      Table t = new Table("LEASE", "NAMESPACE", "TTL", "REMAINING", "ENDPOINTS");
      body.path("items").forEach(l -> t.row(l.path("leaseId").asText(), l.path("namespace").asText(),
          l.path("ttlSeconds").asLong() + "s", l.path("remainingSeconds").asLong() + "s", endpoints(l.path("endpoints"))));
      t.print(out());
    }

    private static String endpoints(JsonNode list) {
      StringBuilder b = new StringBuilder();
      list.forEach(e -> b.append(b.length() == 0 ? "" : ",").append(e.path("service").asText()).append('/')
          .append(e.path("id").asText()));
      return b.length() == 0 ? null : b.toString();
    }
  }

  @Command(name = "revoke", description = "Revoke a lease: every endpoint on it leaves the registry at once.")
  static final class Revoke extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = LeaseId.class,
        description = "The lease id, as `lease list` shows it") long id;

    @Override
    void run(TetherClient client) {
      client.revokeLease(id);
      out().println("lease/" + id + " revoked");
      out().flush();
    }
  }

  /** A lease id in the words of the listing that shows it, rather than picocli's "'abc' is not a long". */
  static final class LeaseId implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      if (!value.matches("[0-9]+")) {
        throw new CommandLine.TypeConversionException("lease id must be digits (as `" + CliErrors.prog()
            + " lease list` shows), not '" + value + "'");
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is too large for a lease id");
      }
    }
  }
}
