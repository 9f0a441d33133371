package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.client.TetherClient;
import io.tether.model.json.Json;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether token create|list|get|revoke}: managed agent and reader tokens (docs/security.md, "Tokens"). */
@Command(name = "token", description = "Mint, list and revoke agent and reader tokens (admin only).",
    mixinStandardHelpOptions = true, subcommands = {TokenCommands.Create.class, TokenCommands.List.class,
        TokenCommands.Get.class, TokenCommands.Revoke.class})
public final class TokenCommands {

  @Command(name = "create", description = {"Mint a token; it is printed once, now, and never again.",
      "Example: tether token create --role agent -n prod --name prod-hosts --ttl 30d"})
  static final class Create extends OperatorCommand {
    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "agent (registers in one namespace, -n) or reader (reads everything)")
    String role;
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The namespace an agent token acts in")
    String namespace;
    @Option(names = "--name", paramLabel = "NAME", description = "Its name in listings and logs (default: ROLE-ID)")
    String name;
    @Option(names = "--ttl", paramLabel = "DURATION", converter = Ttl.class,
        description = "Expires after this long: seconds, or a number with s, m, h or d, e.g. 90d (default: never)")
    Long ttlSeconds;

    @Override
    void run(TetherClient client) {
      ObjectNode body = Json.MAPPER.createObjectNode().put("role", role.toLowerCase(Locale.ROOT));
      putIfSet(body, "namespace", namespace);
      putIfSet(body, "name", name);
      if (ttlSeconds != null) {
        body.put("ttlSeconds", ttlSeconds);
      }
      JsonNode minted = client.call("POST", "/v1/tokens", Json.write(body)).json();
      print(minted, out -> {
        out.println("token/" + minted.path("id").asText() + " created (" + describe(minted) + ")");
        out.println("Keep it now; it is not shown again:");
        out.println("  " + minted.path("token").asText());
        out.flush();
      });
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
      if (value != null) {
        node.put(field, value);
      }
    }
  }

  @Command(name = "list", description = "List the managed tokens (never their secrets), expired ones included.")
  static final class List extends OperatorCommand {
    @Override
    void run(TetherClient client) {
      JsonNode body = client.call("GET", "/v1/tokens", null).json();
      print(body, out -> table(body.path("items"), out));
    }
  }

  @Command(name = "get", description = "Show one managed token (never its secret).")
  static final class Get extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The token's id, as `token list` shows it") String id;

    @Override
    void run(TetherClient client) {
      JsonNode token = client.call("GET", path(id), null).json();
      print(token, out -> table(Json.MAPPER.createArrayNode().add(token), out));
    }
  }

  @Command(name = "revoke", description = "Revoke a token: refused at once, its xDS streams ended within a second.")
  static final class Revoke extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The token's id, as `token list` shows it") String id;

    @Override
    void run(TetherClient client) {
      client.call("DELETE", path(id), null);
      out().println("token/" + id + " revoked");
      out().flush();
    }
  }

  /** The token's path, its id encoded: no id can change which route is called. */
  private static String path(String id) {
    return "/v1/tokens/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void table(JsonNode items, PrintWriter out) {
    Table t = new Table("ID", "NAME", "ROLE", "NAMESPACE", "STATE", "CREATED", "EXPIRES");
    items.forEach(i -> t.row(i.path("id").asText(), i.path("name").asText(), i.path("role").asText(),
        i.path("namespace").asText(null), i.path("state").asText(), i.path("createdAt").asText(),
        i.path("expiresAt").asText(null)));
    t.print(out);
  }

  private static String describe(JsonNode t) {
    String ns = t.path("namespace").asText(null);
    String expires = t.path("expiresAt").asText(null);
    return t.path("role").asText() + (ns != null ? " of " + ns : "") + (expires != null ? ", expires " + expires : "");
  }

  /** {@code --ttl}: seconds, or a number with s, m, h or d; said in the option's words when it is not. */
  static final class Ttl implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      var m = java.util.regex.Pattern.compile("([0-9]{1,9})([smhd]?)").matcher(value);
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new CommandLine.TypeConversionException("--ttl must be a positive number of seconds, or one with "
            + "s, m, h or d (e.g. 3600, 90m, 24h, 30d), not '" + value + "'");
      }
      long unit = switch (m.group(2)) {
        case "m" -> 60;
        case "h" -> 3600;
        case "d" -> 86400;
        default -> 1;
      };
      return Long.parseLong(m.group(1)) * unit;
    }
  }
}
