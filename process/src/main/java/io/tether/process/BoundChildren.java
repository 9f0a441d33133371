package io.tether.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts child processes that die with this JVM, even when it is killed with SIGKILL: on Linux each
 * child is started through {@code setpriv --pdeathsig KILL}, which makes the kernel kill it when its
 * parent goes. The kernel ties that signal to the parent <em>thread</em>, so every child is started
 * from one thread that lives as long as the JVM: the spawner of {@link #shared()}, the only instance.
 *
 * <p>Each child also gets a session of its own ({@code setsid}): a Ctrl-C in the terminal signals the
 * terminal's process group, and a child in it (etcd, Envoy, the task's app) would stop at once, before
 * this JVM had drained or deregistered anything. Out of that group, only this JVM hears the signal and
 * stops its children in order. {@code setsid} does not fork here (a child is never a group leader), so
 * this JVM stays the parent and the parent-death signal still holds.
 */
public final class BoundChildren {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final BoundChildren SHARED = new BoundChildren();
  private final ExecutorService spawner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tether-child-spawner");
    t.setDaemon(true);
    return t;
  });

  private BoundChildren() {}

  /** The one spawner of this JVM: its thread must outlive every child it starts. */
  public static BoundChildren shared() {
    return SHARED;
  }

  /** True when children are bound to this JVM's life (Linux with util-linux's setpriv). */
  public static boolean available() {
    return Files.isExecutable(SETPRIV);
  }

  /** Starts {@code command}, appending its stdout and stderr to {@code log}. */
  public Process start(List<String> command, Path log) {
    return start(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
  }

  /**
   * Starts the process {@code builder} describes (command, environment, directory, redirects), bound to
   * this JVM. An interrupt does not cut this short (spawning takes milliseconds, and a process started
   * but not returned would run on unknown to the caller): it is kept for the caller's next wait.
   *
   * @throws UncheckedIOException naming the program, when it cannot be started
   */
  public Process start(ProcessBuilder builder) {
    Future<Process> spawned = spawner.submit(() -> spawn(builder));
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
      throw cause instanceof UncheckedIOException u ? u : new IllegalStateException("cannot start " + builder.command(), cause);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs on the spawner thread; the builder's command is prefixed with setsid and setpriv for the start only. */
  private static Process spawn(ProcessBuilder builder) {
    List<String> command = builder.command();
    List<String> bound = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      bound.add(SETSID.toString());
    }
    if (available()) {
      bound.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
    }
    bound.addAll(command);
    try {
      return builder.command(bound).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    } finally {
      builder.command(command);
    }
  }
}
