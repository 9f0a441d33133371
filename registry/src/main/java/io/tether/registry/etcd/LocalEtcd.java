package io.tether.registry.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An etcd server run as a child process on loopback: what {@code tether server} starts when no
 * {@code --etcd} is given, and what the tests run against. One member, or one member of a local
 * cluster ({@link #cluster}). The process is destroyed with the JVM.
 */
public final class LocalEtcd implements AutoCloseable {
  private final String name;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private final String initialCluster;
  private Process process;

  public LocalEtcd(String name, Path dataDir, int clientPort, int peerPort, String initialCluster) {
    this.name = name;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.initialCluster = initialCluster;
  }

  /** A single-member etcd. */
  public static LocalEtcd single(Path dataDir, int clientPort, int peerPort) {
    return new LocalEtcd("tether", dataDir, clientPort, peerPort, "tether=" + peerUrl(peerPort));
  }

  /** The members of a local cluster; start them all, they wait for each other. */
  public static List<LocalEtcd> cluster(Path baseDir, int[] clientPorts, int[] peerPorts) {
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < peerPorts.length; i++) {
      peers.add("m" + i + "=" + peerUrl(peerPorts[i]));
    }
    List<LocalEtcd> members = new ArrayList<>();
    for (int i = 0; i < clientPorts.length; i++) {
      members.add(new LocalEtcd("m" + i, baseDir.resolve("m" + i), clientPorts[i], peerPorts[i], String.join(",", peers)));
    }
    return members;
  }

  /** Where the etcd binary is: {@code $ETCD_BIN}, else {@code etcd} on PATH; a clear error when neither. */
  public static Path binary() {
    String env = System.getenv("ETCD_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("etcd was not found on PATH: install it with 'apt-get install etcd-server' "
        + "(Debian/Ubuntu), set ETCD_BIN, or point Tether at an existing cluster with --etcd URL");
  }

  /** Starts the process (without waiting for it to serve). */
  public LocalEtcd start() {
    try {
      Files.createDirectories(dataDir);
      List<String> cmd = List.of(binary().toString(),
          "--name", name,
          "--data-dir", dataDir.resolve("data").toString(),
          "--listen-client-urls", clientUrl(),
          "--advertise-client-urls", clientUrl(),
          "--listen-peer-urls", peerUrl(peerPort),
          "--initial-advertise-peer-urls", peerUrl(peerPort),
          "--initial-cluster", initialCluster,
          "--initial-cluster-state", "new",
          "--heartbeat-interval", "50",
          "--election-timeout", "500");
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("etcd.log").toFile()))
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(this::close));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start etcd", e);
    }
  }

  /** Waits until this member's /health says true, or throws after the timeout. */
  public LocalEtcd awaitHealthy(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + dataDir.resolve("etcd.log"));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(clientUrl() + "/health"))
            .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("true")) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for etcd", e);
      }
      pause(50);
    }
    throw new IllegalStateException("etcd did not become healthy within " + timeout + "; see " + dataDir.resolve("etcd.log"));
  }

  public String clientUrl() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** The etcd process's id, e.g. to read its CPU time; -1 when it is not running. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as a crash would. The data directory stays, so {@link #start} brings the member back. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String peerUrl(int port) {
    return "http://127.0.0.1:" + port;
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
