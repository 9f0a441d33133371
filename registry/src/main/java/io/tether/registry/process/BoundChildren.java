package io.tether.registry.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts child processes that die with this JVM, even when it is killed with SIGKILL: on Linux each
 * child is started through {@code setpriv --pdeathsig KILL}, which makes the kernel kill it when its
 * parent goes. The kernel ties that signal to the parent <em>thread</em>, so every child is started
 * from one thread that lives as long as the JVM.
 */
public final class BoundChildren {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
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

  /** Starts {@code command}, appending its output to {@code log}. */
  public Process start(List<String> command, Path log) {
    try {
      return spawner.submit(() -> spawn(command, log)).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof UncheckedIOException u ? u : new IllegalStateException("cannot start " + command, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting " + command, e);
    }
  }

  private static Process spawn(List<String> command, Path log) {
    List<String> bound = new ArrayList<>();
    if (available()) {
      bound.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
    }
    bound.addAll(command);
    File logFile = log.toFile();
    try {
      return new ProcessBuilder(bound).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile)).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }
}
