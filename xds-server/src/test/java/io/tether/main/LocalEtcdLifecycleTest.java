package io.tether.main;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.process.ChildJvm;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local etcd of {@code tether server} as processes see it: it dies with a SIGKILLed server, it
 * is restarted when it crashes, two servers with their own data directories do not collide, and
 * every reason the server cannot start is one line on its output.
 */
class LocalEtcdLifecycleTest {
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A server on its own data directory and free API/xDS ports; its local etcd ports are its own choice. */
  private final class Server {
    final Path dataDir;
    final int apiPort = Ports.free();
    final Process process;

    Server(Path dataDir, String... extra) throws IOException {
      this(dataDir, Map.of(), extra);
    }

    Server(Path dataDir, Map<String, String> env, String... extra) throws IOException {
      this.dataDir = dataDir;
      List<String> cmd = ChildJvm.main(TetherMain.class);
      cmd.addAll(List.of("server",
          "--data-dir", dataDir.toString(), "--api-host", "127.0.0.1", "--api-port", Integer.toString(apiPort),
          "--xds-host", "127.0.0.1", "--xds-port", Integer.toString(Ports.free())));
      cmd.addAll(List.of(extra));
      ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
      builder.environment().putAll(env);
      process = TestChildren.start(builder);
      started.add(process);
    }

    Server awaitReady() {
      ApiClient anonymous = new ApiClient("http://127.0.0.1:" + apiPort, null);
      Poll.until(Duration.ofSeconds(60), () -> ready(anonymous), () -> "server ready; log:\n" + log());
      return this;
    }

    ApiClient admin() throws IOException {
      return new ApiClient("http://127.0.0.1:" + apiPort, Files.readString(dataDir.resolve("admin.token")).trim());
    }

    Optional<ProcessHandle> etcd() {
      return process.descendants().filter(p -> p.info().command().orElse("").endsWith("etcd")).findFirst();
    }

    String log() {
      try {
        return Files.readString(dataDir.resolve("server.log"));
      } catch (IOException e) {
        return "(no log)";
      }
    }
  }

  @Test
  void aKilledServerTakesItsEtcdAlongAndStartsAgainOnTheSameDataDir() throws Exception {
    Path dir = TestEtcd.tempDir("kill9");
    Server first = new Server(dir).awaitReady();
    first.admin().put("/v1/namespaces/kept", "{}").expect(201);
    ProcessHandle etcd = first.etcd().orElseThrow();

    first.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
    Poll.until(Duration.ofSeconds(10), () -> !etcd.isAlive(), "the local etcd died with its server");

    Server second = new Server(dir).awaitReady();
    assertThat(second.admin().get("/v1/namespaces/kept").status()).isEqualTo(200);
  }

  @Test
  void aCrashedLocalEtcdIsRestartedAndWritesWorkAgain() throws Exception {
    Server server = new Server(TestEtcd.tempDir("etcdcrash")).awaitReady();
    ProcessHandle crashed = server.etcd().orElseThrow();
    crashed.destroyForcibly();
    Poll.until(Duration.ofSeconds(30), () -> server.etcd().filter(p -> p.pid() != crashed.pid()).isPresent()
        && ready(new ApiClient("http://127.0.0.1:" + server.apiPort, null)), () -> "etcd restarted; log:\n" + server.log());
    assertThat(server.admin().put("/v1/namespaces/after-crash", "{}").status()).isEqualTo(201);
    assertThat(server.log()).contains("local etcd exited unexpectedly").contains("local etcd restarted and healthy");
  }

  @Test
  void twoServersWithTheirOwnDataDirsDoNotCollide() throws Exception {
    Server a = new Server(TestEtcd.tempDir("two-a")).awaitReady();
    Server b = new Server(TestEtcd.tempDir("two-b")).awaitReady();
    assertThat(Files.readString(a.dataDir.resolve("etcd/ports")))
        .isNotEqualTo(Files.readString(b.dataDir.resolve("etcd/ports")));
    assertThat(a.admin().put("/v1/namespaces/only-a", "{}").status()).isEqualTo(201);
    assertThat(b.admin().get("/v1/namespaces/only-a").status()).as("separate registries").isEqualTo(404);
  }

  @Test
  void aSecondServerOnTheSameDataDirSaysWhoHoldsIt() throws Exception {
    Path dir = TestEtcd.tempDir("same");
    Server first = new Server(dir).awaitReady();
    Server second = new Server(dir);
    assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.process.exitValue()).isEqualTo(1);
    assertThat(oneLineError(second)).contains("is in use by another tether server (pid " + first.process.pid() + ")");
  }

  @Test
  void aTakenEtcdPortIsNamedWithItsProcessInOneLine() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Server server = new Server(TestEtcd.tempDir("taken"), "--local-etcd-port", Integer.toString(squatter.getLocalPort()));
      assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(server.process.exitValue()).isEqualTo(1);
      assertThat(oneLineError(server)).contains("port " + squatter.getLocalPort() + " is in use by pid "
          + ProcessHandle.current().pid());
    }
  }

  @Test
  void aMissingEtcdBinaryIsOneLine() throws Exception {
    Server server = new Server(TestEtcd.tempDir("noetcd"), Map.of("ETCD_BIN", "/nonexistent/etcd"));
    assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(server.process.exitValue()).isEqualTo(1);
    assertThat(oneLineError(server)).contains("ETCD_BIN=/nonexistent/etcd is not an executable file");
  }

  /** The server's error line; asserts that it printed no stack trace. */
  private static String oneLineError(Server server) {
    String log = server.log();
    assertThat(log).doesNotContain("\tat ").doesNotContain("Exception");
    return log.lines().filter(l -> l.startsWith("tether: error: ")).findFirst()
        .orElseThrow(() -> new AssertionError("no error line in:\n" + log));
  }

  private static boolean ready(ApiClient api) {
    try {
      return api.get("/readyz").status() == 200;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
