package io.tether.bench;

import io.tether.process.BoundChildren;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One agent JVM started as the {@code tether} launcher and the sidecar image start it
 * ({@code java FLAGS -cp AGENT_JAR:lib/* io.tether.agent.AgentMain ARGS}), bound to this JVM, its output
 * in a log file, and stopped with SIGTERM as ECS and systemd stop it. Its memory is the JVM's alone;
 * the Envoys it supervises are read separately.
 */
final class AgentProcess implements AutoCloseable {
  private final Process process;
  private final AgentLog log;
  private final long execMillis;
  private boolean stopped;

  private AgentProcess(Process process, AgentLog log, long execMillis) {
    this.process = process;
    this.log = log;
    this.execMillis = execMillis;
  }

  static AgentProcess start(JvmArm arm, String classpath, List<String> args, Path logFile) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(arm.flags());
    command.addAll(List.of("-cp", classpath, "io.tether.agent.AgentMain"));
    command.addAll(args);
    long exec = System.currentTimeMillis();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(arm.env());
    return new AgentProcess(BoundChildren.shared().start(builder), new AgentLog(logFile), exec);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  AgentLog log() {
    return log;
  }

  /** Milliseconds from the exec to the agent's log line containing {@code marker}, once it is logged. */
  OptionalLong millisTo(String marker) {
    OptionalLong at = log.millisOf(marker);
    return at.isPresent() ? OptionalLong.of(at.getAsLong() - execMillis) : at;
  }

  ProcMemory memory() throws IOException {
    return ProcMemory.of(process.pid());
  }

  /** The Envoys among the agent's descendants (processes running {@code envoy}), their memory summed. */
  ProcMemory envoyMemory(Path envoy) throws IOException {
    long rss = 0;
    long anon = 0;
    for (ProcessHandle h : process.descendants().filter(h -> h.info().command().map(envoy.toString()::equals)
        .orElse(false)).toList()) {
      ProcMemory m = ProcMemory.of(h.pid());
      rss += m.rssBytes();
      anon += m.anonBytes();
    }
    return new ProcMemory(rss, anon);
  }

  /** SIGTERM, as ECS and systemd stop it, once: the agent drains and exits. */
  void stop() {
    if (!stopped) {
      stopped = true;
      process.destroy();
    }
  }

  /** {@link #stop}, then SIGKILL if it has not exited within 30 s. */
  @Override
  public void close() {
    stop();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
