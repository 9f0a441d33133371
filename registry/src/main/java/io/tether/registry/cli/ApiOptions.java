package io.tether.registry.cli;

import io.tether.client.TetherClient;
import io.tether.client.cli.CliConfig;
import io.tether.client.cli.CliEnvironment;
import io.tether.client.cli.ServerUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the REST API is, who we are, and how to print: shared by every operator command (a
 * {@code @Mixin} of {@link OperatorCommand}). Each setting is the flag, else its environment
 * variable, else the current context's, else the built-in default (docs/cli.md "Precedence").
 */
public final class ApiOptions {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8700";

  @Option(names = {"-h", "--help"}, usageHelp = true, order = 99, description = "Show this help and exit")
  boolean help;

  @Option(names = "--server", paramLabel = "URL", order = 100,
      description = "Tether API, HOST:PORT or http(s)://HOST:PORT, e.g. tether.internal:8700 "
          + "(default: $TETHER_SERVER, else the context's, else " + DEFAULT_SERVER + ")")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", order = 101,
      description = "Bearer token (default: $TETHER_TOKEN, $TETHER_TOKEN_FILE, the context's, else .tether/admin.token)")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", order = 102,
      description = "File holding the bearer token, e.g. .tether/admin.token (kept out of the process list)")
  Path tokenFile;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = 103,
      description = "table, json or yaml (default: table for lists, json for a single object)")
  Output output;

  /** How a command prints what it read. */
  public enum Output { table, json, yaml }

  private CliConfig config;

  TetherClient client() {
    return TetherClient.builder(server()).token(resolveToken())
        .connectTimeout(Duration.ofSeconds(3)).requestTimeout(Duration.ofSeconds(15)).build();
  }

  /** Whether the output is a document (json or yaml) rather than a table: print it with printJson. */
  boolean json() {
    return output == Output.json || output == Output.yaml;
  }

  Output output() {
    return output;
  }

  /** The API's URL, normalized. */
  String server() {
    if (server != null) {
      return ServerUrl.parse("--server", server);
    }
    String env = CliEnvironment.get("TETHER_SERVER");
    if (env != null) {
      return ServerUrl.parse("TETHER_SERVER", env);
    }
    String fromContext = config().current().server();
    if (fromContext != null) {
      return ServerUrl.parse("context '" + config().currentName() + "' server", fromContext);
    }
    return DEFAULT_SERVER;
  }

  /** The current context's namespace, or null. */
  String contextNamespace() {
    return config().current().namespace();
  }

  CliConfig config() {
    if (config == null) {
      config = CliConfig.load();
    }
    return config;
  }

  private String resolveToken() {
    if (token != null) {
      return token.strip();
    }
    if (tokenFile != null) {
      return readToken("--token-file", tokenFile);
    }
    if (CliEnvironment.get("TETHER_TOKEN") != null) {
      return CliEnvironment.get("TETHER_TOKEN");
    }
    if (CliEnvironment.get("TETHER_TOKEN_FILE") != null) {
      return readToken("TETHER_TOKEN_FILE", Path.of(CliEnvironment.get("TETHER_TOKEN_FILE")));
    }
    CliConfig.Context context = config().current();
    if (context.token() != null) {
      return context.token().strip();
    }
    if (context.tokenFile() != null) {
      return readToken("context '" + config().currentName() + "' tokenFile", Path.of(context.tokenFile()));
    }
    Path local = Path.of(".tether", "admin.token");
    return Files.exists(local) ? readToken(local.toString(), local) : null;
  }

  /** A token file's content; a missing or empty one is the caller's mistake, named. */
  static String readToken(String what, Path file) {
    try {
      String t = Files.readString(file).strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException(what + " " + file + " is empty");
      }
      return t;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(what + ": no such file: " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": cannot read " + file + ": " + e.getMessage());
    }
  }
}
