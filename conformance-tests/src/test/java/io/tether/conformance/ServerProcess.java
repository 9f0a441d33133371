package io.tether.conformance;

import io.tether.main.TetherMain;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestChildren;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tether server} as an operator starts it: a JVM of its own with its own local etcd, data in
 * {@code dataDir}, every port free and on loopback. Started ready ({@code /readyz} 200); closed with
 * SIGTERM, so that it stops its local etcd on the way out, which a SIGKILL would orphan.
 */
final class ServerProcess implements AutoCloseable {
  final int apiPort = Ports.free();
  final int xdsPort = Ports.free();
  private final Path dataDir;
  private final Path log;
  private final Process process;

  private ServerProcess(Path dataDir, Path workDir, Map<String, String> env) throws IOException {
    this.dataDir = dataDir;
    this.log = workDir.resolve("server.log");
    List<String> cmd = new ArrayList<>(ChildJvm.main(TetherMain.class));
    cmd.addAll(List.of("server", "--data-dir", dataDir.toString(), "--api-host", "127.0.0.1", "--api-port", Integer.toString(apiPort),
        "--xds-host", "127.0.0.1", "--xds-port", Integer.toString(xdsPort),
        "--local-etcd-port", Integer.toString(Ports.free()), "--local-etcd-peer-port", Integer.toString(Ports.free())));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    process = TestChildren.start(pb);
    ApiClient anonymous = new ApiClient(apiUrl(), null);
    Poll.until(Duration.ofSeconds(60), () -> ready(anonymous), () -> "server ready; log:\n" + log());
  }

  /** A server whose data is in {@code dataDir}, run from {@code workDir} with {@code env} added. */
  static ServerProcess start(Path dataDir, Path workDir, Map<String, String> env) throws IOException {
    return new ServerProcess(dataDir, workDir, env);
  }

  String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  /** The admin token it generated on its first start. */
  String adminToken() throws IOException {
    return Files.readString(dataDir.resolve("admin.token")).trim();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static boolean ready(ApiClient api) {
    try {
      return api.get("/readyz").status() == 200;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
