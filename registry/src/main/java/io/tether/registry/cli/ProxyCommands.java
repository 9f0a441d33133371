package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.client.TetherClient;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tether proxies [-n NS]} and {@code tether proxy config NODE [-n NS] [--type T]}: what every
 * replica serves (docs/operations.md, "Proxies").
 */
public final class ProxyCommands {
  private static final String[] TYPES = {"CDS", "LDS", "EDS", "RDS"};

  private ProxyCommands() {}

  @Command(name = "proxies", mixinStandardHelpOptions = true,
      description = "List the connected Envoys and proxyless clients of every replica, with their sync state per type.")
  public static final class List extends OperatorCommand {
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only this namespace's proxies")
    String namespace;

    @Override
    void run(TetherClient client) {
      JsonNode body = client.proxies(namespace);
      if (api.json()) {
        printJson(body);
        return;
      }
      Table t = new Table("NAMESPACE", "NODE", "KIND", "ZONE", "REPLICA", TYPES[0], TYPES[1], TYPES[2], TYPES[3]);
      StringBuilder notes = new StringBuilder();
      for (JsonNode item : body.path("items")) {
        JsonNode s = item.path("stream");
        String replica = item.path("replica").asText();
        t.row(s.path("namespace").asText(), s.path("nodeId").asText(), s.path("kind").asText(),
            s.path("zone").asText("-"), replica,
            state(s, TYPES[0]), state(s, TYPES[1]), state(s, TYPES[2]), state(s, TYPES[3]));
        for (String type : TYPES) {
          JsonNode nack = s.path("lastNacks").path(type);
          if ("NACKED".equals(state(s, type))) {
            notes.append(String.format("NACK %s/%s on %s, %s version %s: %s%n", s.path("namespace").asText(),
                s.path("nodeId").asText(), replica, type, nack.path("version").asText(), nack.path("message").asText()));
          }
        }
      }
      t.print(out());
      body.path("unreachableReplicas").forEach(r -> notes.append(String.format("unreachable replica %s (%s): %s%n",
          r.path("id").asText(), r.path("apiUrl").asText(), r.path("error").asText())));
      body.path("errors").forEach(e -> notes.append("error: ").append(e.asText()).append('\n'));
      out().print(notes);
      out().flush();
    }

    private static String state(JsonNode stream, String type) {
      return stream.path("sync").path(type).asText("-");
    }
  }

  @Command(name = "proxy", mixinStandardHelpOptions = true, description = "Inspect one proxy.",
      subcommands = Config.class)
  public static final class Proxy {}

  /** The resource types {@code --type} takes, and their keys in the config answer. */
  enum ResourceType {
    listeners("LISTENER"), routes("ROUTE"), clusters("CLUSTER"), endpoints("ENDPOINT");

    final String key;

    ResourceType(String key) {
      this.key = key;
    }
  }

  @Command(name = "config", description = "Show the resources a proxy is served, whichever replica it is connected to.")
  static final class Config extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NODE", description = "The proxy's node id") String node;
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
        description = "Its namespace (needed when the node id is connected in several)") String namespace;
    @Option(names = "--type", paramLabel = "TYPE", description = "Only one type: ${COMPLETION-CANDIDATES}")
    ResourceType type;

    @Override
    void run(TetherClient client) {
      JsonNode body;
      try {
        body = client.proxyConfig(namespace, node);
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage() + ": node ids are 1 to 256 letters, digits or -._~!$&'()*+,;=:@");
      }
      if (type != null && body instanceof ObjectNode whole) {
        ObjectNode only = whole.objectNode();
        only.set(type.key, body.path("resources").path(type.key));
        whole.set("resources", only);
      }
      if (api.json()) {
        printJson(body);
        return;
      }
      out().printf("%s/%s on replica %s%n", body.path("namespace").asText(), body.path("nodeId").asText(),
          body.path("replica").asText());
      Table t = new Table("TYPE", "NAME", "VERSION");
      for (Iterator<Map.Entry<String, JsonNode>> types = body.path("resources").fields(); types.hasNext(); ) {
        Map.Entry<String, JsonNode> byType = types.next();
        byType.getValue().fields().forEachRemaining(r ->
            t.row(byType.getKey(), r.getKey(), r.getValue().path("version").asText()));
      }
      t.print(out());
    }
  }
}
