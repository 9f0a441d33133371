package io.tether.agent.ecs;

import io.tether.agent.AgentMain;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.TestChildren;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tether agent ecs-task} as a real process, as ECS runs it in the sidecar container: no
 * arguments, its settings in the environment (which starts empty but for PATH, as a container's does),
 * its output in a file. Bound to the test JVM; {@link #kill()} for an {@code @AfterEach}.
 */
final class EcsAgentProcess {
  private static final Pattern ENVOY_PID = Pattern.compile("envoy started \\(pid (\\d+)\\)");

  private final Path log;
  private final Map<String, String> env = new LinkedHashMap<>();
  private Process process;

  EcsAgentProcess(Path dir) {
    this.log = dir.resolve("ecs-task.log");
    env.put("PATH", System.getenv("PATH"));
    env.put("TMPDIR", dir.toString());
  }

  EcsAgentProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Process start() {
    List<String> command = ChildJvm.command();
    command.addAll(List.of("-Djava.io.tmpdir=" + env.get("TMPDIR"), "-cp", System.getProperty("java.class.path"),
        AgentMain.class.getName(), "ecs-task"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    process = TestChildren.start(builder);
    return process;
  }

  Process process() {
    return process;
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pid of the Envoy the agent started last, from its log. */
  OptionalLong envoyPid() {
    Matcher m = ENVOY_PID.matcher(log());
    long pid = -1;
    while (m.find()) {
      pid = Long.parseLong(m.group(1));
    }
    return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("ecs-task did not exit within " + timeout.toSeconds() + " s; log:\n" + log());
    }
    return process.exitValue();
  }

  /** SIGKILL, and the Envoy it started with it (bound to the agent, it dies with it). */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    OptionalLong envoy = envoyPid();
    if (envoy.isPresent()) {
      ProcessHandle.of(envoy.getAsLong()).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    }
  }
}
