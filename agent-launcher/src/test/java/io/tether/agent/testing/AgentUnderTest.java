package io.tether.agent.testing;

import io.tether.agent.AgentMain;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tether agent run} as a real process, for the lifecycle tests: service {@code a/web} on a free
 * app port with the stand-in Envoy and {@link FakeApp}, everything in the test's directory, fast
 * timings. Tests change what they need ({@link #flag}, {@link #without}, {@link #app}, …), start it,
 * and read its log and journal. {@link #kill()} (for an {@code @AfterEach}) leaves no process behind.
 */
public final class AgentUnderTest {
  private final Path dir;
  private final String registryUrl;
  private final String taskId;
  private final int appPort = Ports.free();
  private final Journal journal;
  private final Map<String, String> flags = new java.util.LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final Map<String, String> environment = new HashMap<>();
  private List<String> app;
  private Process process;

  public AgentUnderTest(Path dir, String registryUrl, String taskId) {
    this.dir = dir;
    this.registryUrl = registryUrl;
    this.taskId = taskId;
    this.journal = new Journal(dir.resolve("journal"));
    flags.put("--service", "web");
    flags.put("--app-port", Integer.toString(appPort));
    flags.put("--ingress-port", Integer.toString(Ports.free()));
    flags.put("--address", "127.0.0.1");
    flags.put("--admin-port", Integer.toString(Ports.free()));
    flags.put("--drain-time", "1");
    flags.put("--stop-grace", "2");
    flags.put("--hosts-file", hostsFile().toString());
    flags.put("--lease-ttl", "3");
    flags.put("--work-dir", dir.resolve("work").toString());
  }

  /**
   * Creates what the agent runs in: namespace {@code a} and service {@code web} whose health check
   * policy is GET /healthz every second, healthy after one pass, unhealthy after two failures.
   */
  public static void createService(ApiClient admin) {
    admin.put("/v1/namespaces/a", "{}").expect(201);
    admin.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],\"healthCheck\":{\"protocol\":\"http\","
        + "\"path\":\"/healthz\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,"
        + "\"unhealthyThreshold\":2}}").expect(201);
  }

  /** Sets a flag; a null value makes it a switch ({@code --proxyless}). */
  public AgentUnderTest flag(String name, String value) {
    flags.put(name, value);
    return this;
  }

  /** Leaves out one of the defaults above, e.g. {@code --work-dir}. */
  public AgentUnderTest without(String name) {
    flags.remove(name);
    return this;
  }

  public AgentUnderTest env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  public AgentUnderTest jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /** The app's command instead of {@link FakeApp} on the app port. */
  public AgentUnderTest app(String... command) {
    app = List.of(command);
    return this;
  }

  public Process start() throws IOException {
    Files.writeString(hostsFile(), "127.0.0.1\tlocalhost\n# keep me\n10.0.0.9 db.internal\n");
    Path token = dir.resolve("token");
    Files.writeString(token, TestRegistry.AGENT_A);
    List<String> cmd = ChildJvm.command();
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "run",
        "--server", registryUrl, "--xds", "127.0.0.1:18000", "--token-file", token.toString(), "--namespace", "a", "--task-id", taskId,
        "--envoy-bin", FakeEnvoy.install(dir).toString()));
    flags.forEach((name, value) -> {
      cmd.add(name);
      if (value != null) {
        cmd.add(value);
      }
    });
    cmd.add("--");
    cmd.addAll(app != null ? app : List.of(FakeApp.install(dir).toString(), Integer.toString(appPort)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile().toFile());
    pb.environment().put("TETHER_TEST_JOURNAL", journal.path().toString());
    pb.environment().put("FAKE_APP_SICK_FILE", sickFile().toString());
    pb.environment().putAll(environment);
    process = pb.start();
    return process;
  }

  public Process process() {
    return process;
  }

  public int appPort() {
    return appPort;
  }

  public Journal journal() {
    return journal;
  }

  public Path hostsFile() {
    return dir.resolve("hosts");
  }

  /** While this file exists, FakeApp's /healthz answers 500. */
  public Path sickFile() {
    return dir.resolve("sick");
  }

  /** Everything the agent (and the app, whose output passes through it) wrote. */
  public String log() {
    try {
      return Files.exists(logFile()) ? Files.readString(logFile()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the agent to exit on its own and returns its status; fails, with its log, if it did not in time. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the agent did not exit within " + timeout.toSeconds() + " s; log:\n" + log());
    }
    return process.exitValue();
  }

  /** The pids of the stand-ins the agent started, as they journaled them. */
  public List<Long> childPids() {
    List<Long> pids = new ArrayList<>();
    for (String line : journal.lines()) {
      if (line.contains(" start pid ")) {
        pids.add(Long.parseLong(line.substring(line.indexOf(" start pid ") + 11).split(" ")[0]));
      }
    }
    return pids;
  }

  /** The pid of the stand-in Envoy started last. */
  public long envoyPid() {
    List<String> starts = journal.lines().stream().filter(l -> l.startsWith("envoy start pid ")).toList();
    if (starts.isEmpty()) {
      throw new AssertionError("no envoy started; log:\n" + log());
    }
    return Long.parseLong(starts.get(starts.size() - 1).split(" ")[3]);
  }

  public boolean noChildAlive() {
    return childPids().stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  public void assertNoChildAlive() {
    Poll.until(Duration.ofSeconds(5), this::noChildAlive, () -> "children still alive: " + childPids());
  }

  /** SIGKILL: the kernel takes the agent's children with it (setpriv --pdeathsig). */
  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Poll.until(Duration.ofSeconds(5), this::noChildAlive, () -> "children still alive: " + childPids());
  }

  private Path logFile() {
    return dir.resolve("agent-" + taskId + ".log");
  }
}
