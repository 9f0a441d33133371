package io.tether.main;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.process.ChildJvm;
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
import java.util.ArrayList;
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
  private final int xdsPort = Ports.free();
  /** The CLI's config file: a test's own, never the real ~/.config/tether. */
  private final Path cliConfig = dataDir.resolve("cli-config.yaml");
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

  /** A server with its own local etcd, and {@code extra} flags. */
  private Process startServer(String... extra) throws IOException {
    Process p = spawnServer(extra);
    ApiClient anonymous = new ApiClient("http://127.0.0.1:" + apiPort, null);
    Poll.until(Duration.ofSeconds(60), () -> ready(anonymous), () -> "server ready; log:\n" + log());
    return p;
  }

  /**
   * Ctrl-C in a terminal signals the foreground job's whole process group. Only the server may hear it:
   * its local etcd, in a session of its own, is stopped by the server after the server is done with it.
   */
  @Test
  void aCtrlCToTheServersProcessGroupStopsItInOrder() throws Exception {
    server = startServer(); // started bound (TestChildren): it leads a process group, as a shell's foreground job
    Process ctrlC = new ProcessBuilder("kill", "-INT", "--", "-" + server.pid()).inheritIO().start();
    assertThat(ctrlC.waitFor()).as("SIGINT sent to the group").isZero();
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the server exits").isTrue();
    assertThat(log()).contains("shutting down").as("etcd outlived every call the server made to it")
        .doesNotContain("registry watch failed").doesNotContain("could not revoke the replica lease");
    Poll.until(Duration.ofSeconds(10), () -> !listening(etcdPort), "local etcd stopped with the server");
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
    ApiClient.Response xds = api.get("/v1/xds");
    assertThat(xds.status()).isEqualTo(200);
    assertThat(xds.body().path("address").asText()).isEqualTo("127.0.0.1:" + xdsPort);
    assertThat(xds.body().path("tls").asBoolean(true)).isFalse();
    assertThat(api.get("/v1/xds").status()).isEqualTo(200);
    assertThat(new ApiClient("http://127.0.0.1:" + apiPort, null).get("/v1/xds").status()).as("no token").isEqualTo(401);

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

  @Test
  void aFirstStartWritesTheLocalContextTheCliThenUsesFromAnyDirectory() throws Exception {
    server = startServer();
    Poll.until(Duration.ofSeconds(10), () -> Files.exists(cliConfig), "the CLI config written");
    String config = Files.readString(cliConfig);
    assertThat(config).contains("current: local").contains("server: http://127.0.0.1:" + apiPort)
        .contains("tokenFile: " + dataDir.resolve("admin.token").toAbsolutePath());
    assertThat(log()).contains("wrote the CLI context 'local'");
    ProcessBuilder cli = new ProcessBuilder(cliCommand("ns", "create", "from-anywhere"))
        .directory(TestEtcd.tempDir("elsewhere").toFile()).redirectErrorStream(true);
    cli.environment().put("TETHER_CONFIG", cliConfig.toString());
    Process created = TestChildren.start(cli);
    String out = new String(created.getInputStream().readAllBytes());
    assertThat(created.waitFor()).as(out).isZero();
    assertThat(out).contains("namespace/from-anywhere created");

    server.destroy();
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Files.writeString(cliConfig, "contexts: {}\n");
    Files.delete(dataDir.resolve("admin.token")); // a token generated again, but the config file exists now
    server = startServer();
    assertThat(Files.readString(cliConfig)).as("an existing config is never changed").isEqualTo("contexts: {}\n");
  }

  @Test
  void aTokensFileHoldsTheTokensAndItsOldNameStillWorksWithOneWarning() throws Exception {
    String admin = "tokens-file-admin-0123456789";
    Path tokens = dataDir.resolve("tokens.json");
    Files.writeString(tokens, "{\"tokens\": [{\"name\": \"ops\", \"token\": \"" + admin + "\", \"role\": \"ADMIN\"}]}");
    ApiClient api = new ApiClient("http://127.0.0.1:" + apiPort, admin);
    server = startServer("--tokens-file", tokens.toString());
    assertThat(api.get("/v1/namespaces").status()).as("a token of the file").isEqualTo(200);
    assertThat(dataDir.resolve("admin.token")).as("none generated").doesNotExist();
    assertThat(log()).doesNotContain("deprecated");

    server.destroy();
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    server = startServer("--token-file", tokens.toString());
    assertThat(api.get("/v1/namespaces").status()).as("the old name still reads the file").isEqualTo(200);
    assertThat(log().lines().filter(l -> l.contains("--token-file is deprecated"))).as(log())
        .singleElement().asString().contains("WARN").contains("--tokens-file");
  }

  @Test
  void aLocalServerGeneratesItsCaOnceKeepsItAcrossARestartAndRefusesAWrongEncryptionKeyInOneLine() throws Exception {
    server = startServer();
    Path keyFile = dataDir.resolve("ca-encryption.key");
    assertThat(Files.getPosixFilePermissions(keyFile)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    String bundle = trustBundle();
    server.destroy();
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

    server = startServer();
    assertThat(trustBundle()).as("the same CA after a restart").isEqualTo(bundle);
    server.destroy();
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String encryptionKey = Files.readString(keyFile).strip();
    assertThat(log()).doesNotContain(encryptionKey).doesNotContain("PRIVATE KEY");

    byte[] other = new byte[32];
    new java.security.SecureRandom().nextBytes(other);
    Files.writeString(keyFile, java.util.Base64.getEncoder().encodeToString(other) + "\n");
    Files.writeString(dataDir.resolve("server.log"), "");
    Process refused = startServerExpectingExit();
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).as(log()).isTrue();
    assertThat(refused.exitValue()).isEqualTo(1);
    assertThat(log().lines().filter(l -> l.contains("error:")).toList()).as(log()).containsExactly(
        "tether: error: the mesh CA key in etcd (ca/root) does not decrypt with --ca-key-encryption-key-file: "
            + "it is not the key this mesh's CA was created with");
    assertThat(log()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  /** The trust bundle the server's CA answers a CSR with: which CA it signs with. */
  private String trustBundle() throws IOException {
    ApiClient admin = new ApiClient("http://127.0.0.1:" + apiPort, Files.readString(dataDir.resolve("admin.token")).strip());
    admin.put("/v1/namespaces/ca", "{}");
    String body = io.tether.model.json.Json.writeString(java.util.Map.of("csr", OpenApiCases.csr()));
    return admin.post("/v1/namespaces/ca/identities/web/certificate", body).expect(200).body().path("trustBundle").asText();
  }

  /** A server start that is expected to fail: not waited for. */
  private Process startServerExpectingExit() throws IOException {
    return server = spawnServer();
  }

  /** {@code tether ARGS} as a JVM of its own: the CLI's command line. */
  private static List<String> cliCommand(String... args) {
    List<String> command = ChildJvm.main(TetherMain.class);
    command.addAll(List.of(args));
    return command;
  }

  /** The server's process with its own local etcd and {@code extra} flags, its output appended to server.log. */
  private Process spawnServer(String... extra) throws IOException {
    List<String> cmd = ChildJvm.main(TetherMain.class);
    cmd.addAll(List.of("server",
        "--data-dir", dataDir.toString(), "--api-host", "127.0.0.1", "--api-port", Integer.toString(apiPort),
        "--local-etcd-port", Integer.toString(etcdPort), "--local-etcd-peer-port", Integer.toString(etcdPeerPort),
        "--xds-host", "127.0.0.1", "--xds-port", Integer.toString(xdsPort)));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
    pb.environment().put("TETHER_CONFIG", cliConfig.toString());
    return TestChildren.start(pb);
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
