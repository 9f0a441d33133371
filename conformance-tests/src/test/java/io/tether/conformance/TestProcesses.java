package io.tether.conformance;

import io.tether.process.BoundChildren;
import io.tether.registry.testing.TestChildren;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Processes the cross-host tests start: Java mains with the test classpath, each bound to the test
 * JVM's life by {@link BoundChildren} (as the server binds its etcd and the agent its Envoy), so
 * nothing outlives the test JVM, even a killed one.
 */
final class TestProcesses {
  private TestProcesses() {}

  /** {@code java FLAGS -cp <test classpath>}: append the main class and its arguments. */
  static List<String> java(List<String> flags) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return command;
  }

  /** Starts {@code pb}'s command bound to the test JVM's life (same pid: setpriv execs it). */
  static Process spawn(ProcessBuilder pb) {
    return TestChildren.start(pb);
  }
}
