package io.tether.testbed.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.ApiException;
import io.tether.client.TetherClient;
import io.tether.model.json.Json;
import io.tether.process.BoundChildren;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's control plane: {@code tether server} with a local etcd, its data in {@code DIR/server},
 * its log in {@code DIR/server.log}, an admin and an agent token of its own, and the admin calls the
 * demo makes on its REST API.
 */
final class DemoServer implements AutoCloseable {
  static final String NAMESPACE = "demo";

  final String apiUrl;
  final String xdsAddress;
  final Path agentTokenFile;
  private final String adminToken = token();
  private final TetherClient api;
  private final Process process;

  private DemoServer(Launcher launcher, Path dir, String address) throws IOException {
    int apiPort = DemoHosts.freePort();
    int xdsPort = DemoHosts.freePort();
    apiUrl = "http://" + address + ":" + apiPort;
    xdsAddress = address + ":" + xdsPort;
    api = TetherClient.builder(apiUrl).token(adminToken).requestTimeout(Duration.ofSeconds(5)).build();
    String agentToken = token();
    agentTokenFile = dir.resolve("agent.token");
    Files.writeString(agentTokenFile, agentToken);
    Path tokens = dir.resolve("tokens.json");
    Files.writeString(tokens, Json.MAPPER.writeValueAsString(Map.of("tokens", List.of(
        Map.of("name", "demo-admin", "token", adminToken, "role", "ADMIN"),
        Map.of("name", "demo-agents", "token", agentToken, "role", "AGENT", "namespace", NAMESPACE)))));
    List<String> command = new ArrayList<>(launcher.server());
    command.addAll(List.of("--data-dir", dir.resolve("server").toString(), "--tokens-file", tokens.toString(),
        "--api-host", address, "--api-port", Integer.toString(apiPort), "--xds-host", address,
        "--xds-port", Integer.toString(xdsPort), "--shutdown-grace", "1"));
    process = BoundChildren.shared().start(command, dir.resolve("server.log"));
  }

  /** Starts the server and returns once its {@code /readyz} says it is ready. */
  static DemoServer start(Launcher launcher, Path dir, String address) throws Exception {
    DemoServer server = new DemoServer(launcher, dir, address);
    Waits.until(Duration.ofSeconds(120), () -> {
      if (!server.process.isAlive()) {
        throw new IllegalStateException("tether server exited " + server.process.exitValue() + "; see " + dir.resolve("server.log"));
      }
      return server.status("/readyz") == 200;
    }, "the server's /readyz");
    return server;
  }

  String adminToken() {
    return adminToken;
  }

  JsonNode get(String path) {
    return api.call("GET", path, null).json();
  }

  /** The status of a GET, 0 when the server does not answer. */
  int status(String path) {
    try {
      return api.exchange("GET", path, null).status();
    } catch (ApiException e) {
      return 0;
    }
  }

  /** A PUT of {@code body} as JSON; an answer other than 2xx is thrown as {@link ApiException}. */
  void put(String path, Object body) {
    try {
      api.call("PUT", path, Json.MAPPER.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String token() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
