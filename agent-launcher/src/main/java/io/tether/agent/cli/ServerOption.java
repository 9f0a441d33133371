package io.tether.agent.cli;

import io.tether.client.TetherClient;
import io.tether.client.cli.CliEnvironment;
import io.tether.client.cli.ServerUrl;
import picocli.CommandLine.Option;

/**
 * {@code --server}: the Tether REST API, as the operator commands take it (HOST:PORT or
 * http(s)://HOST:PORT; {@link ServerUrl}). {@code --control-plane} is its old name, kept hidden and
 * deprecated so that existing scripts and task definitions keep working (docs/cli.md).
 */
final class ServerOption {
  @Option(names = "--server", paramLabel = "URL", order = 0,
      description = "Tether REST API, HOST:PORT or http(s)://HOST:PORT, e.g. tether.internal:8700")
  String server;

  @Option(names = "--server-ca", paramLabel = "FILE", order = 0,
      description = "PEM CA file that an https --server's certificate is trusted by (default: $TETHER_SERVER_CA, "
          + "else the JVM's CAs)")
  java.nio.file.Path serverCa;

  @Option(names = "--control-plane", paramLabel = "URL", hidden = true,
      description = "Deprecated: the old name of --server.")
  String controlPlane;

  /**
   * The API's URL, normalized: the flag (either name), else {@code fromFile} (a config file's), else
   * {@code $TETHER_SERVER} when {@code fromEnvironment}; null when none is given.
   */
  String resolve(String fromFile, boolean fromEnvironment) {
    trustServerCa(fromEnvironment);
    if (server != null && controlPlane != null) {
      throw new IllegalArgumentException("--control-plane is the old name of --server: give one of them");
    }
    if (server != null || controlPlane != null) {
      return ServerUrl.parse(server != null ? "--server" : "--control-plane", server != null ? server : controlPlane);
    }
    if (fromFile != null) {
      return ServerUrl.parse("server in --config", fromFile);
    }
    String env = fromEnvironment ? CliEnvironment.get("TETHER_SERVER") : null;
    return env == null ? null : ServerUrl.parse("TETHER_SERVER", env);
  }

  /**
   * {@code --server-ca}, else {@code $TETHER_SERVER_CA}: every REST client of this process trusts it (an
   * agent command talks to one server), checked now so that a bad file is one line naming the option.
   */
  private void trustServerCa(boolean fromEnvironment) {
    String env = fromEnvironment ? CliEnvironment.get("TETHER_SERVER_CA") : null;
    if (serverCa != null) {
      TetherClient.trustByDefault(serverCa);
    } else if (env != null) {
      io.tether.client.ServerCa.load("TETHER_SERVER_CA", java.nio.file.Path.of(env));
      TetherClient.trustByDefault(java.nio.file.Path.of(env));
    }
  }
}
