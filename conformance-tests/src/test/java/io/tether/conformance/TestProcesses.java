package io.tether.conformance;

import io.tether.process.BoundChildren;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestChildren;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Processes the cross-host tests start: Java mains with the test classpath, each bound to the test
 * JVM's life by {@link BoundChildren} (as the server binds its etcd and the agent its Envoy), so
 * nothing outlives the test JVM, even a killed one; and what the tests look at in {@code /proc} about them.
 */
final class TestProcesses {
  private TestProcesses() {}

  /** {@code java} ({@link ChildJvm#FLAGS}) {@code FLAGS -cp <test classpath>}: append the main class and its arguments. */
  static List<String> java(List<String> flags) {
    List<String> command = new ArrayList<>();
    command.addAll(ChildJvm.command());
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return command;
  }

  /** Starts {@code pb}'s command bound to the test JVM's life (same pid: setpriv execs it). */
  static Process spawn(ProcessBuilder pb) {
    return TestChildren.start(pb);
  }

  /**
   * Kills an agent with SIGKILL and waits until none of its children is left: its Envoy and app die with
   * it (pdeathsig), which is what a test's teardown relies on.
   */
  static void killWithChildren(Process agent) throws InterruptedException {
    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Poll.until(Duration.ofSeconds(5), () -> agent.descendants().noneMatch(ProcessHandle::isAlive), "no child left");
  }

  /** True when the process is gone or a zombie (dead, not yet reaped). */
  static boolean dead(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return true;
    }
  }

  /** The process's resident memory as {@code /proc/PID/status} says it (e.g. {@code 81234 kB}), or "?". */
  static String rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    }
  }
}
