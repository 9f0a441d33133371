package io.tether.agent.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts the processes the agent supervises so that none outlives it, even when the agent is killed
 * with SIGKILL: on Linux each child is started through {@code setpriv --pdeathsig KILL}, which makes the
 * kernel kill it when its parent goes. The kernel ties that signal to the parent <em>thread</em>, so
 * every child is started from one thread that lives as long as the agent.
 */
public final class ChildProcesses {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private final ExecutorService spawner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tether-agent-spawner");
    t.setDaemon(true);
    return t;
  });

  /**
   * A command to run, its extra environment and the file its output goes to; with no file (null) its
   * stdout and stderr are pipes that the caller must read (see {@link OutputTail}), its stdin the agent's.
   */
  public record Spec(List<String> command, Map<String, String> environment, Path log) {
    public Spec {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
    }
  }

  /**
   * Starts the command and returns its process. An interrupt does not cut this short (spawning takes
   * milliseconds, and a process started but not returned would run on unknown to the caller): it is
   * kept for the caller's next wait.
   */
  public Process start(Spec spec) {
    Future<Process> spawned = spawner.submit(() -> spawn(spec));
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return spawned.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof UncheckedIOException u ? u : new IllegalStateException("cannot start " + spec.command(), cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True when children are bound to the agent's life (Linux with util-linux's setpriv). */
  public static boolean boundToAgent() {
    return Files.isExecutable(SETPRIV);
  }

  private static Process spawn(Spec spec) {
    List<String> command = new ArrayList<>();
    if (boundToAgent()) {
      command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
    }
    command.addAll(spec.command());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(spec.environment());
    if (spec.log() != null) {
      File log = spec.log().toFile();
      builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    } else {
      builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
    }
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.command().get(0) + ": " + e.getMessage(), e);
    }
  }
}
