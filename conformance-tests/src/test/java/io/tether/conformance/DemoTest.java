package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.testbed.NetnsHosts;
import io.tether.testbed.demo.DemoMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tether demo}'s story, run to its end ({@code --exit-after-story}) with real Envoys: every
 * claim it prints must hold, and nothing it started may outlive it. Its server and agents run as the
 * main classes of this classpath rather than through the {@code tether} script, which would build.
 */
class DemoTest {
  private static final List<String> CLAIMS = List.of("ok: every second, both w1 and w2 answer; no call fails",
      "ok: alice's calls all land on", "went DRAINING, then left the registry", "ok: no call failed while",
      "answers every call");

  @Test
  void onTestHostsInNetworkNamespacesEveryClaimHoldsAndNothingIsLeftRunning() throws Exception {
    Prerequisites.testHosts(NetnsHosts.unavailable());
    assertThat(runDemo("netns", List.of())).contains("[hosts] one network namespace per task");
  }

  @Test
  void onOneLoopbackEveryClaimHoldsAndNothingIsLeftRunning() throws Exception {
    assertThat(runDemo("loopback", List.of("--loopback"))).contains("every task on this machine's loopback");
  }

  /** Runs the demo's story; returns what it printed once it has exited 0 with every claim holding. */
  private static String runDemo(String name, List<String> flags) throws Exception {
    Path base = TestEtcd.tempDir("demo-" + name);
    Path dir = base.resolve("demo");
    Path output = base.resolve("demo.out");
    List<String> command = new ArrayList<>(TestProcesses.java(List.of()));
    command.addAll(List.of(DemoMain.class.getName(), "--dir", dir.toString(), "--exit-after-story"));
    command.addAll(flags);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("ENVOY_BIN", Prerequisites.envoy().toString());
    Process demo = TestProcesses.spawn(pb);
    boolean exited = demo.waitFor(240, TimeUnit.SECONDS);
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    if (!exited) {
      demo.destroyForcibly().waitFor();
    }
    assertThat(exited).as("the demo ends after its story; it printed:\n%s", printed).isTrue();
    assertThat(demo.exitValue()).as("exit status; it printed:\n%s", printed).isZero();
    assertThat(printed).contains(CLAIMS).doesNotContain("NOT SO");
    Poll.until(Duration.ofSeconds(10), () -> processesNaming(dir).isEmpty(),
        () -> "nothing the demo started runs on: " + processesNaming(dir));
    return printed;
  }

  /** Processes whose command line names {@code dir} (the demo's server, agents and Envoys all do). */
  private static List<String> processesNaming(Path dir) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String cmdline = cmdline(p);
        if (cmdline.contains(dir.toString())) {
          found.add(p.getFileName() + ": " + cmdline);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  private static String cmdline(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return ""; // the process is gone
    }
  }
}
