package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.client.cli.Documents;
import io.tether.model.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tether authz apply|list|get|delete}: a namespace's authorization rules (docs/security.md
 * "Authorization"), always within one namespace ({@code -n}).
 */
@Command(name = "authz", description = "Manage authorization rules: who may call whom.", mixinStandardHelpOptions = true,
    subcommands = {AuthzCommands.Apply.class, AuthzCommands.List.class, AuthzCommands.Get.class,
        AuthzCommands.Delete.class})
public final class AuthzCommands {

  static String path(String ns, String... rest) {
    StringBuilder b = new StringBuilder("/v1/namespaces/").append(encode(ns)).append("/authorizations");
    for (String s : rest) {
      b.append('/').append(encode(s));
    }
    return b.toString();
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }

  @Command(name = "apply", description = {"Create or update an authorization rule from a JSON or YAML file.",
      "Example: tether authz apply -n prod -f checkout-to-payments.yaml"})
  static final class Apply extends ServiceCommands.InNamespace {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
        description = "An authorization rule (name, from, to, action, http) as JSON or YAML, or - for stdin")
    Path file;

    @Override
    void run(TetherClient client) {
      JsonNode rule = Documents.read(file);
      String name = rule.path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException(file + " has no name");
      }
      JsonNode applied;
      try {
        applied = client.call("PUT", path(namespace, name), Json.write(rule)).json();
      } catch (ApiException e) {
        throw new ServiceCommands.SpecFile(rule, name).refused(file, e);
      }
      if (api.json()) {
        printJson(applied);
      } else {
        out().println("authorization/" + namespace + "/" + name + " applied");
        out().flush();
      }
    }
  }

  @Command(name = "list", description = {"List the authorization rules of a namespace.",
      "Example: tether authz list -n prod"})
  static final class List extends ServiceCommands.InNamespace {
    @Override
    void run(TetherClient client) {
      JsonNode page = client.call("GET", path(namespace), null).json();
      print(page, out -> table(page).print(out));
    }

    private static Table table(JsonNode page) {
      Table t = new Table("NAME", "FROM", "TO", "ACTION", "HTTP");
      for (JsonNode r : page.path("items")) {
        t.row(r.path("name").asText(), r.path("from").asText(), r.path("to").asText(),
            r.path("action").asText("ALLOW"), http(r.path("http")));
      }
      return t;
    }

    /** {@code POST /pay,/refunds/*; GET *}: each entry's methods and paths, "-" for none (any call). */
    private static String http(JsonNode entries) {
      java.util.List<String> out = new java.util.ArrayList<>();
      for (JsonNode e : entries) {
        out.add(join(e.path("methods"), "*") + " " + join(e.path("paths"), "*"));
      }
      return out.isEmpty() ? "-" : String.join("; ", out);
    }

    private static String join(JsonNode list, String none) {
      java.util.List<String> items = new java.util.ArrayList<>();
      list.forEach(n -> items.add(n.asText()));
      return items.isEmpty() ? none : String.join(",", items);
    }
  }

  @Command(name = "get", description = {"Show an authorization rule as JSON (or -o yaml).",
      "Example: tether authz get -n prod checkout-to-payments"})
  static final class Get extends ServiceCommands.InNamespace {
    @Parameters(index = "0", paramLabel = "NAME", description = "The rule's name") String name;

    @Override
    void run(TetherClient client) {
      printJson(client.call("GET", path(namespace, name), null).json());
    }
  }

  @Command(name = "delete", description = "Delete an authorization rule.")
  static final class Delete extends ServiceCommands.InNamespace {
    @Parameters(index = "0", paramLabel = "NAME", description = "The rule's name") String name;

    @Override
    void run(TetherClient client) {
      client.call("DELETE", path(namespace, name), null);
      out().println("authorization/" + namespace + "/" + name + " deleted");
      out().flush();
    }
  }
}
