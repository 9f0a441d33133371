package io.tether.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Processes the cross-host tests start: Java mains with the test classpath, each bound to the test
 * JVM's life ({@code setpriv --pdeathsig KILL}, started from one long-lived thread since the kernel
 * ties that signal to the parent thread), so nothing outlives the test JVM, even a killed one.
 */
final class TestProcesses {
  private TestProcesses() {}

  private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "test-process-spawner");
    t.setDaemon(true);
    return t;
  });

  /** {@code java FLAGS -cp <test classpath>}: append the main class and its arguments. */
  static List<String> java(List<String> flags) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return command;
  }

  /** Starts {@code pb}'s command bound to the test JVM's life (same pid: setpriv execs it). */
  static Process spawn(ProcessBuilder pb) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--"));
    command.addAll(pb.command());
    pb.command(command);
    try {
      return SPAWNER.submit(pb::start).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? new UncheckedIOException(io) : e;
    }
  }
}
