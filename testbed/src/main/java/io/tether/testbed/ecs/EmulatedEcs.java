package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.process.BoundChildren;
import io.tether.testbed.NetnsHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An emulated ECS container instance on a test host, for the conformance tests and the demo: starts an {@link
 * EcsAgentStandIn} in the host's network namespace, bound to this JVM's life, and drives it through its
 * control API.
 *
 * <pre>{@code
 * try (EmulatedEcs ecs = EmulatedEcs.start(hosts, hosts.host("h1"), imageTable, Map.of())) {
 *   String taskId = ecs.runTask(taskDefinition);
 *   ecs.awaitTask(taskId, t -> t.path("lastStatus").asText().equals("RUNNING"), Duration.ofSeconds(30), "RUNNING");
 *   NetnsHttp.Response tasks = ecs.introspection("/v1/tasks");
 * }
 * }</pre>
 *
 * The stand-in runs under {@code nsenter --net}, not {@code ip netns exec}: namespaces created inside {@code ip
 * netns exec}'s private mounts are not usable from outside them, and the containers' namespaces must be (by
 * {@code ip netns exec} for each container, and by the tests and clean-ups).
 */
public final class EmulatedEcs implements AutoCloseable {
  /** The stand-in's settings; {@link #defaults} are ECS's. */
  public record Options(String cluster, Path workDir, long stopTimeoutSeconds, long taskCleanupWaitSeconds,
      String availabilityZone, List<String> jvmFlags) {
    public static Options defaults() {
      return new Options("default", null, 30, 10800, null, List.of("-Xmx96m", "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1", "-Xss512k"));
    }

    public Options withCluster(String c) {
      return new Options(c, workDir, stopTimeoutSeconds, taskCleanupWaitSeconds, availabilityZone, jvmFlags);
    }

    public Options withWorkDir(Path d) {
      return new Options(cluster, d, stopTimeoutSeconds, taskCleanupWaitSeconds, availabilityZone, jvmFlags);
    }

    public Options withTaskCleanupWait(long seconds) {
      return new Options(cluster, workDir, stopTimeoutSeconds, seconds, availabilityZone, jvmFlags);
    }
  }

  public static final int CONTROL_PORT = 51680;
  public static final int INTROSPECTION_PORT = 51678;
  private static final Duration READY = Duration.ofSeconds(30);

  private final NetnsHosts hosts;
  private final NetnsHosts.Host host;
  private final Path workDir;
  private final Path log;
  private final Process process;
  private final ControlClient control;

  private EmulatedEcs(NetnsHosts hosts, NetnsHosts.Host host, Path workDir, Process process) {
    this.hosts = hosts;
    this.host = host;
    this.workDir = workDir;
    this.log = workDir.resolve("stand-in.log");
    this.process = process;
    this.control = new ControlClient("http://" + host.address() + ":" + CONTROL_PORT);
  }

  /** Why an emulated instance cannot run here (not root, a tool or namespaces missing), or empty. */
  public static Optional<String> unavailable() {
    Optional<String> why = NetnsHosts.unavailable().or(Commands::missingTool);
    if (why.isEmpty() && !BoundChildren.available()) {
      why = Optional.of("util-linux's setpriv is not installed: containers could outlive the stand-in");
    }
    return why.isPresent() ? why : iptablesInNetns();
  }

  private static Optional<String> iptablesInNetns() {
    String probe = "tether-" + ProcessHandle.current().pid() + "-iptprobe";
    Commands here = Commands.here();
    here.attempt(Commands.IP, "netns", "add", probe);
    try {
      Commands.Result r = Commands.inNetns(probe).attempt(Commands.IPTABLES, "-t", "nat", "-S");
      return r.ok() ? Optional.empty() : Optional.of("iptables -t nat fails in a network namespace: " + r.output().trim());
    } finally {
      here.attempt(Commands.IP, "netns", "del", probe);
    }
  }

  public static EmulatedEcs start(NetnsHosts hosts, NetnsHosts.Host host, Path imageTable, Map<String, String> secrets) {
    return start(hosts, host, imageTable, secrets, Options.defaults());
  }

  /** Starts the host's stand-in and waits until it serves; its output (and its containers') goes to {@link #log}. */
  public static EmulatedEcs start(NetnsHosts hosts, NetnsHosts.Host host, Path imageTable, Map<String, String> secrets,
      Options options) {
    try {
      Path dir = options.workDir() != null ? options.workDir() : Files.createTempDirectory("tether-ecs-" + host.name());
      Files.createDirectories(dir);
      Path secretsFile = dir.resolve("secrets.json");
      GoJson.MAPPER.writeValue(secretsFile.toFile(), secrets);
      hostsFileOf(host);
      ProcessBuilder pb = new ProcessBuilder(command(host, imageTable, secretsFile, dir, options)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stand-in.log").toFile()));
      EmulatedEcs ecs = new EmulatedEcs(hosts, host, dir, BoundChildren.shared().start(pb));
      ecs.awaitReady();
      return ecs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host's {@code /etc/hosts} as its processes see it, made a file of its own (a copy of this machine's). */
  private static void hostsFileOf(NetnsHosts.Host host) throws IOException {
    Path own = Path.of("/etc/netns", host.netns(), "hosts");
    if (!Files.exists(own)) {
      Files.createDirectories(own.getParent());
      Files.copy(Path.of("/etc/hosts"), own);
    }
  }

  private static List<String> command(NetnsHosts.Host host, Path images, Path secrets, Path dir, Options o) {
    List<String> c = new ArrayList<>(List.of(Commands.NSENTER, "--net=/run/netns/" + host.netns(), "--",
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    c.addAll(o.jvmFlags());
    c.addAll(List.of("-cp", System.getProperty("java.class.path"), EcsAgentStandIn.class.getName(),
        "--host-netns", host.netns(), "--host-address", host.address(), "--images", images.toAbsolutePath().toString(),
        "--secrets", secrets.toString(), "--work-dir", dir.toString(), "--cluster", o.cluster(),
        "--stop-timeout", Long.toString(o.stopTimeoutSeconds()), "--task-cleanup-wait",
        Long.toString(o.taskCleanupWaitSeconds())));
    if (o.availabilityZone() != null) {
      c.addAll(List.of("--availability-zone", o.availabilityZone()));
    }
    return c;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the stand-in on " + host.name() + " exited " + process.exitValue() + ":\n" + logTail());
      }
      if (control.ready()) {
        return;
      }
      sleep(50); // a poll with a deadline: the stand-in's JVM starting
    }
    close();
    throw new IllegalStateException("the stand-in on " + host.name() + " did not serve within " + READY + ":\n" + logTail());
  }

  /** Runs a task of {@code taskDefinition} (a task definition or describe-task-definition's output); its task id. */
  public String runTask(JsonNode taskDefinition) {
    return control.post("/control/tasks", GoJson.object().set("taskDefinition", taskDefinition)).path("taskId").asText();
  }

  /** StopTask: DesiredStatus STOPPED now; the containers then get SIGTERM in reverse order, SIGKILL after stopTimeout. */
  public void stopTask(String taskId) {
    control.post("/control/tasks/" + taskId + "/stop", GoJson.object());
  }

  /** Every container of the task SIGKILLed at once. */
  public void killTask(String taskId) {
    control.post("/control/tasks/" + taskId + "/kill", GoJson.object());
  }

  /** One container SIGKILLed; an essential one's exit stops the task. */
  public void killContainer(String taskId, String name) {
    control.post("/control/tasks/" + taskId + "/containers/" + name + "/kill", GoJson.object());
  }

  /** The control API's view of the task (see {@link ControlJson}). */
  public JsonNode task(String taskId) {
    return control.get("/control/tasks/" + taskId);
  }

  /** Polls {@link #task} until {@code condition} holds; fails naming {@code what} and the last view. */
  public JsonNode awaitTask(String taskId, Predicate<JsonNode> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = task(taskId);
    while (!condition.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("task " + taskId + " not " + what + " within " + timeout.toMillis() + " ms: " + last);
      }
      sleep(20); // a poll with a deadline
      last = task(taskId);
    }
    return last;
  }

  /** {@code GET http://127.0.0.1:51678PATH} from inside the host, where the ECS agent's API listens. */
  public NetnsHttp.Response introspection(String path) {
    return NetnsHttp.get(hosts, host, "127.0.0.1", INTROSPECTION_PORT, path);
  }

  public NetnsHosts.Host host() {
    return host;
  }

  /** The stand-in's output: its own lines and its containers', each prefixed with the container's name. */
  public Path log() {
    return log;
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL to the stand-in, as a crash: its containers die with it, its namespaces and rules stay. */
  public void killStandIn() {
    process.destroyForcibly();
    process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Shuts the stand-in down (it removes what it made); a dead one's leftovers are removed from here. */
  @Override
  public void close() {
    if (process.isAlive()) {
      control.shutdown();
      if (!process.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).thenApply(p -> p != null).join()) {
        process.destroyForcibly();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
      }
    }
    removeLeftoversOf(process.pid());
  }

  /** What the stand-in {@code pid} left, removed from outside: its containers' namespaces and its host objects. */
  private void removeLeftoversOf(long pid) {
    List<String> left = Leftovers.namespacesOf(pid);
    left.forEach(n -> Leftovers.removeNamespace(Commands.here(), n));
    if (!left.isEmpty() || Leftovers.liveOwner(host.netns()).isEmpty()) {
      Leftovers.clearHost(Commands.inNetns(host.netns()));
    }
    if (Leftovers.liveOwner(host.netns()).isEmpty()) {
      Leftovers.release(host.netns());
    }
  }

  private String logTail() {
    String text = logText();
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
