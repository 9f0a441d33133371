package io.tether.main;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tether server} as an operator runs it: a real JVM process with its own local etcd. */
class ServerProcessTest {
  private final Path dataDir = TestEtcd.tempDir("server");
  private final int apiPort = Ports.free();
  private final int etcdPort = Ports.free();
  private final int etcdPeerPort = Ports.free();
  private Process server;

  /**
   * SIGTERM first: the server stops its local etcd on the way out, which a SIGKILL would leave running,
   * orphaned. SIGKILL only if it does not exit.
   */
  @AfterEach
  void stop() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private Process startServer() throws IOException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), TetherMain.class.getName(), "server",
        "--data-dir", dataDir.toString(), "--api-host", "127.0.0.1", "--api-port", Integer.toString(apiPort),
        "--local-etcd-port", Integer.toString(etcdPort), "--local-etcd-peer-port", Integer.toString(etcdPeerPort));
    Process p = TestChildren.start(new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile())));
    ApiClient anonymous = new ApiClient("http://127.0.0.1:" + apiPort, null);
    Poll.until(Duration.ofSeconds(60), () -> ready(anonymous), () -> "server ready; log:\n" + log());
    return p;
  }

  @Test
  void startsLocalEtcdStopsItOnSigtermAndRestartsWithNothingLost() throws Exception {
    server = startServer();
    Path tokenFile = dataDir.resolve("admin.token");
    assertThat(tokenFile).exists();
    assertThat(log()).contains("Generated an admin token");
    String token = Files.readString(tokenFile).trim();
    ApiClient api = new ApiClient("http://127.0.0.1:" + apiPort, token);
    assertThat(api.put("/v1/namespaces/prod", "{}").status()).isEqualTo(201);
    assertThat(api.put("/v1/namespaces/prod/services/payments",
        "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080}]}").status()).isEqualTo(201);
    String vip = api.get("/v1/namespaces/prod/services").body().at("/items/0/clientAliases/0/vip").asText();

    server.destroy(); // SIGTERM
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server exits on SIGTERM").isTrue();
    assertThat(log()).contains("shutting down").as("the stop is no crash to restart from")
        .doesNotContain("exited unexpectedly");
    Poll.until(Duration.ofSeconds(10), () -> !listening(etcdPort), "local etcd stopped with the server");

    server = startServer();
    assertThat(Files.readString(tokenFile).trim()).as("the admin token is kept").isEqualTo(token);
    ApiClient.Response services = api.get("/v1/namespaces/prod/services");
    assertThat(services.status()).isEqualTo(200);
    assertThat(services.body().at("/items/0/discoveryName").asText()).isEqualTo("payments");
    assertThat(services.body().at("/items/0/clientAliases/0/vip").asText()).isEqualTo(vip);
  }

  private static boolean ready(ApiClient api) {
    try {
      return api.get("/readyz").status() == 200;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String log() {
    try {
      return Files.readString(dataDir.resolve("server.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
