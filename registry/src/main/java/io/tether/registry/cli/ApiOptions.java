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

  // %n: picocli's line breaking splits words at '.' (". tether/admin.token"), so paths start a line of their own.
  @Option(names = "--token", paramLabel = "TOKEN", order = 101,
      description = "Bearer token (default: $TETHER_TOKEN, else $TETHER_TOKEN_FILE, else the context's,%n"
          + "  else the file .tether/admin.token)")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", order = 102,
      description = "File holding the bearer token (kept out of the process list),%n  for example .tether/admin.token")
  Path tokenFile;

  @Option(names = "--server-ca", paramLabel = "FILE", order = 104,
      description = "PEM CA file that an https --server's certificate is trusted by%n"
          + "  (default: $TETHER_SERVER_CA, else the context's serverCa, else the JVM's CAs)")
  Path serverCa;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = 103,
      description = "table, json or yaml (default: table for lists, json for a single object)")
  Output output;

  /** How a command prints what it read. */
  public enum Output { table, json, yaml }

  private CliConfig config;
  /** Where the token sent came from, in the user's words, for a 401 (null: none was sent). */
  private String tokenSource;

  TetherClient client() {
    return TetherClient.builder(server()).token(resolveToken()).trust(serverCa())
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

  /** The CA file the server's certificate is trusted by, or null for the JVM's CAs; checked here, by name. */
  Path serverCa() {
    if (serverCa != null) {
      return checked("--server-ca", serverCa.toString());
    }
    String env = CliEnvironment.get("TETHER_SERVER_CA");
    if (env != null) {
      return checked("TETHER_SERVER_CA", env);
    }
    String fromContext = config().current().serverCa();
    return fromContext == null ? null : checked("context '" + config().currentName() + "' serverCa", fromContext);
  }

  private static Path checked(String what, String file) {
    io.tether.client.ServerCa.load(what, Path.of(file));
    return Path.of(file);
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

  /** Where the token sent came from, for "the token from $TETHER_TOKEN was refused"; null when none was sent. */
  String tokenSource() {
    return tokenSource;
  }

  private String resolveToken() {
    if (token != null) {
      return from("given with --token", token.strip());
    }
    if (tokenFile != null) {
      return from("from --token-file " + tokenFile, readToken("--token-file", tokenFile));
    }
    if (CliEnvironment.get("TETHER_TOKEN") != null) {
      return from("from $TETHER_TOKEN", CliEnvironment.get("TETHER_TOKEN"));
    }
    String envFile = CliEnvironment.get("TETHER_TOKEN_FILE");
    if (envFile != null) {
      return from("from $TETHER_TOKEN_FILE (" + envFile + ")", readToken("TETHER_TOKEN_FILE", Path.of(envFile)));
    }
    CliConfig.Context context = config().current();
    String name = config().currentName();
    if (context.token() != null) {
      return from("from context '" + name + "' (its token)", context.token().strip());
    }
    if (context.tokenFile() != null) {
      return from("from context '" + name + "' (tokenFile " + context.tokenFile() + ")",
          readToken("context '" + name + "' tokenFile", Path.of(context.tokenFile())));
    }
    Path local = Path.of(".tether", "admin.token");
    return Files.exists(local) ? from("from " + local + " (the default)", readToken(local.toString(), local)) : null;
  }

  private String from(String source, String value) {
    tokenSource = source;
    return value;
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
