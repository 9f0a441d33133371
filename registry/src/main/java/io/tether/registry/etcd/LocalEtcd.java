package io.tether.registry.etcd;

import io.tether.process.BoundChildren;
import io.tether.process.PortOwner;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An etcd server run as a child process on loopback: what {@code tether server} starts when no
 * {@code --etcd} is given, and what the tests run against. One member, or one member of a local
 * cluster ({@link #cluster}).
 *
 * <p>The process is bound to this JVM's life ({@link BoundChildren}): a server killed with SIGKILL
 * takes its etcd with it, so a restart finds its ports free. An etcd still running on this member's
 * data directory (left by a server that had no such binding) is replaced. Every reason it cannot
 * start is a {@link LocalEtcdException} with a one-line message.
 */
public final class LocalEtcd implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalEtcd.class);
  private final String name;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private final String initialCluster;
  private volatile Process process;
  private volatile boolean stopped;
  private boolean hooked;
  /** False when the owner stops it in order at exit (the server, after its last etcd call). */
  private boolean stopAtJvmExit = true;

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
      if (!Files.isExecutable(Path.of(env))) {
        throw new LocalEtcdException("ETCD_BIN=" + env + " is not an executable file");
      }
      return Path.of(env);
    }
    for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new LocalEtcdException("etcd was not found on PATH: install it with 'apt-get install etcd-server' "
        + "(Debian/Ubuntu), set ETCD_BIN, or point Tether at an existing cluster with --etcd URL");
  }

  /** Starts the process (without waiting for it to serve); throws when it cannot, saying why. */
  public synchronized LocalEtcd start() {
    Path binary = binary();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new LocalEtcdException("cannot create the etcd data directory " + dataDir + ": " + e.getMessage());
    }
    Orphans.replaceAny(dataDir.resolve("data"));
    requireFree("client", clientPort);
    requireFree("peer", peerPort);
    stopped = false;
    process = BoundChildren.shared().start(command(binary), logFile());
    if (!hooked && stopAtJvmExit) {
      hooked = true;
      Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-etcd-stop"));
    }
    return this;
  }

  /**
   * Leaves the stop at exit to the caller: without this, a shutdown hook of its own stops etcd at once,
   * alongside the caller's, which may still be revoking leases and closing watches on it.
   */
  public LocalEtcd stoppedByCaller() {
    stopAtJvmExit = false;
    return this;
  }

  private List<String> command(Path binary) {
    return List.of(binary.toString(),
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
  }

  private static void requireFree(String which, int port) {
    if (!PortOwner.isFree("127.0.0.1", port)) {
      throw new LocalEtcdException("local etcd cannot start: its " + which + " port " + port + " is "
          + PortOwner.describe(port) + "; free it or choose another port (--local-etcd-port/--local-etcd-peer-port)");
    }
  }

  /** Waits until this member's /health says true, or throws after the timeout. */
  public LocalEtcd awaitHealthy(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Process p = process;
      if (p != null && !p.isAlive()) {
        throw new LocalEtcdException("local etcd exited with status " + p.exitValue() + ": " + lastLogLine()
            + " (full log: " + logFile() + ")");
      }
      if (healthy(http)) {
        return this;
      }
      pause(50);
    }
    throw new LocalEtcdException("local etcd did not become healthy within " + timeout.toSeconds() + " s: "
        + lastLogLine() + " (full log: " + logFile() + ")");
  }

  private boolean healthy(HttpClient http) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(clientUrl() + "/health"))
          .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("true");
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalEtcdException("interrupted waiting for etcd");
    }
  }

  public String clientUrl() {
    return "http://127.0.0.1:" + clientPort;
  }

  public Path logFile() {
    return dataDir.resolve("etcd.log");
  }

  /** Completes when the running process exits (at once when none runs). */
  public CompletableFuture<Process> onExit() {
    Process p = process;
    return p == null ? CompletableFuture.completedFuture(null) : p.onExit();
  }

  /** The etcd process's id, e.g. to read its CPU time; -1 when it is not running. */
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** SIGKILL, as a crash would. The data directory stays, so {@link #start} brings the member back. */
  public void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      waitFor(p);
    }
  }

  /** True once {@link #close} has been called since the last start: an exit since then was asked for. */
  public boolean stoppedOnPurpose() {
    return stopped;
  }

  @Override
  public void close() {
    stopped = true;
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroy();
      waitFor(p);
    }
  }

  /** The last line etcd logged that says something, to name the cause of a failed start. */
  String lastLogLine() {
    try {
      List<String> lines = Files.readAllLines(logFile());
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = lines.get(i).trim();
        if (!line.isEmpty()) {
          return line.length() > 300 ? line.substring(0, 300) + "…" : line;
        }
      }
      return "it logged nothing";
    } catch (IOException e) {
      return "no log";
    }
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
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

  static {
    log.debug("local etcd children bound to this JVM: {}", BoundChildren.available());
  }
}
