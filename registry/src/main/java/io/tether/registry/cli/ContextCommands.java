package io.tether.registry.cli;

import io.tether.client.cli.CliConfig;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.client.cli.CliErrors;
import io.tether.client.cli.Documents;
import io.tether.client.cli.ServerUrl;
import io.tether.model.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tether context list|use|set|show|delete}: the named contexts of the CLI's config file
 * ({@link CliConfig}; docs/cli.md "Contexts"). They touch only that file, never the server.
 */
@Command(name = "context", mixinStandardHelpOptions = true,
    description = {"Manage the CLI's contexts: a server, a token and a namespace under a name, in "
        + "$TETHER_CONFIG, else ${XDG_CONFIG_HOME:-~/.config}/tether/config.yaml.",
        "Example: tether context set prod --server tether.internal:8700 --token-file ~/prod.token -n prod"},
    subcommands = {ContextCommands.List.class, ContextCommands.Use.class, ContextCommands.Set.class,
        ContextCommands.Show.class, ContextCommands.Delete.class})
public final class ContextCommands {

  /** A context command: edits the config file; a bad name or value is a usage error (exit 2). */
  abstract static class OnConfig implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit") boolean help;

    @Override
    public Integer call() {
      try {
        run(CliConfig.load(), spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (RuntimeException e) {
        return CliException.report(e, spec.commandLine().getErr());
      }
    }

    abstract void run(CliConfig config, PrintWriter out);
  }

  @Command(name = "list", description = {"List the contexts; * marks the current one.",
      "Example: tether context list -o yaml"})
  static final class List extends OnConfig {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
        description = "table, json or yaml (default: table); a token itself is never printed")
    ApiOptions.Output output;

    @Override
    void run(CliConfig config, PrintWriter out) {
      if (output == ApiOptions.Output.json || output == ApiOptions.Output.yaml) {
        ObjectNode doc = document(config);
        out.println(output == ApiOptions.Output.yaml ? Documents.yaml(doc).stripTrailing() : Documents.json(doc));
        return;
      }
      Table t = new Table("CURRENT", "NAME", "SERVER", "NAMESPACE");
      config.contexts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> t.row(
          e.getKey().equals(config.currentName()) ? "*" : "", e.getKey(), e.getValue().server(), e.getValue().namespace()));
      t.print(out);
    }

    /** {@code {"current": NAME, "items": [{"name", "current", "server", "namespace", "tokenFile", "token"}]}}. */
    private static ObjectNode document(CliConfig config) {
      ObjectNode doc = Json.MAPPER.createObjectNode();
      doc.put("current", config.currentName());
      ArrayNode items = doc.putArray("items");
      config.contexts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
        CliConfig.Context c = e.getValue();
        ObjectNode item = items.addObject().put("name", e.getKey()).put("current", e.getKey().equals(config.currentName()));
        putIfSet(item, "server", c.server());
        putIfSet(item, "namespace", c.namespace());
        putIfSet(item, "tokenFile", c.tokenFile());
        putIfSet(item, "token", c.token() == null ? null : "(set, hidden)");
        putIfSet(item, "serverCa", c.serverCa());
      });
      return doc;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
      if (value != null) {
        node.put(field, value);
      }
    }
  }

  @Command(name = "use", description = {"Make a context the current one.", "Example: tether context use prod"})
  static final class Use extends OnConfig {
    @Parameters(index = "0", paramLabel = "NAME", description = "The context") String name;

    @Override
    void run(CliConfig config, PrintWriter out) {
      config.use(name);
      config.save();
      out.println("context/" + name + " is current");
    }
  }

  @Command(name = "set", description = {"Create or change a context (only the options given change); the first "
      + "one becomes current.", "Example: tether context set prod --server tether.internal:8700 -n prod"})
  static final class Set extends OnConfig {
    @Parameters(index = "0", paramLabel = "NAME", description = "The context, e.g. prod") String name;
    @Option(names = "--server", paramLabel = "URL", description = "HOST:PORT or http(s)://HOST:PORT") String server;
    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token (kept as an absolute path)")
    Path tokenFile;
    @Option(names = "--token", paramLabel = "TOKEN", description = "The bearer token itself (prefer --token-file)")
    String token;
    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The default namespace of -n") String namespace;
    @Option(names = "--server-ca", paramLabel = "FILE",
        description = "PEM CA file an https server's certificate is trusted by (kept as an absolute path)")
    Path serverCa;

    @Override
    void run(CliConfig config, PrintWriter out) {
      if (token != null && tokenFile != null) {
        throw new IllegalArgumentException("--token and --token-file cannot be used together");
      }
      CliConfig.Context old = config.contexts().getOrDefault(name, new CliConfig.Context(null, null, null, null));
      String url = server != null ? ServerUrl.parse("--server", server) : old.server();
      String file = tokenFile != null ? tokenFile.toAbsolutePath().normalize().toString()
          : token != null ? null : old.tokenFile();
      String value = token != null ? token : tokenFile != null ? null : old.token();
      String ca = serverCa != null ? serverCa.toAbsolutePath().normalize().toString() : old.serverCa();
      config.put(name, new CliConfig.Context(url, value, file, namespace != null ? namespace : old.namespace(), ca));
      boolean first = config.currentName() == null;
      if (first) {
        config.use(name);
      }
      config.save();
      out.println("context/" + name + " set" + (first ? " (current)" : "") + " in " + config.file());
    }
  }

  @Command(name = "show", description = {"Show the current context (or the one named), its token hidden; "
      + "exit 1 when none is current.", "Example: tether context show prod"})
  static final class Show extends OnConfig {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The context (default: the current one)")
    String name;

    @Override
    void run(CliConfig config, PrintWriter out) {
      String shown = name != null ? name : config.currentName();
      CliConfig.Context c = shown == null ? null : config.contexts().get(shown);
      if (shown == null) {
        // Not a usage error: the command is right, the file has no current context (exit 1).
        throw new CliException("no current context in " + config.file() + ": pick one with `" + CliErrors.prog()
            + " context use NAME` (" + CliErrors.prog() + " context list shows them), or make one with `"
            + CliErrors.prog() + " context set NAME --server URL`");
      }
      if (c == null) {
        throw new IllegalArgumentException("no context '" + shown + "' in " + config.file()
            + " (" + CliErrors.prog() + " context list shows them)");
      }
      out.println("name:      " + shown + (shown.equals(config.currentName()) ? " (current)" : ""));
      out.println("server:    " + (c.server() == null ? "-" : c.server()));
      out.println("token:     " + (c.token() != null ? "(set, hidden)" : c.tokenFile() != null ? "from " + c.tokenFile() : "-"));
      out.println("namespace: " + (c.namespace() == null ? "-" : c.namespace()));
      if (c.serverCa() != null) {
        out.println("server CA: " + c.serverCa());
      }
      out.println("file:      " + config.file());
    }
  }

  @Command(name = "delete", description = {"Delete a context. When it was the current one and one context is "
      + "left, that one becomes current.", "Example: tether context delete lab"})
  static final class Delete extends OnConfig {
    @Parameters(index = "0", paramLabel = "NAME", description = "The context") String name;

    @Override
    void run(CliConfig config, PrintWriter out) {
      boolean wasCurrent = name.equals(config.currentName());
      if (!config.remove(name)) {
        throw new IllegalArgumentException("no context '" + name + "' in " + config.file());
      }
      String left = config.contexts().size() == 1 ? config.contexts().keySet().iterator().next() : null;
      if (wasCurrent && left != null) {
        config.use(left);
      }
      config.save();
      out.println("context/" + name + " deleted" + (wasCurrent ? currentNow(config, left) : ""));
    }

    /** What is current after deleting the current context: the one left, or none and how to pick one. */
    private static String currentNow(CliConfig config, String left) {
      if (left != null) {
        return "; context/" + left + " is current";
      }
      return config.contexts().isEmpty() ? "; no context is left"
          : "; no context is current now: pick one with `" + CliErrors.prog() + " context use NAME`";
    }
  }
}
