package io.tether.registry.cli;

import io.tether.client.TetherClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the REST API is, who we are, and how to print: shared by every operator command. */
public final class ApiOptions {
  @Option(names = "--server", paramLabel = "URL", description = "Tether API (default: $TETHER_SERVER or ${DEFAULT-VALUE})",
      defaultValue = "${env:TETHER_SERVER:-http://127.0.0.1:8700}")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Bearer token (default: $TETHER_TOKEN, else the file .tether/admin.token)")
  String token;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  Output output;

  enum Output { table, json }

  TetherClient client() {
    return TetherClient.builder(server).token(resolveToken())
        .connectTimeout(Duration.ofSeconds(3)).requestTimeout(Duration.ofSeconds(15)).build();
  }

  boolean json() {
    return output == Output.json;
  }

  private String resolveToken() {
    if (token != null) {
      return token;
    }
    String env = System.getenv("TETHER_TOKEN");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    Path file = Path.of(".tether", "admin.token");
    try {
      return Files.exists(file) ? Files.readString(file).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
