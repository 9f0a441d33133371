package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.main.TetherMain;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestChildren;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's worked example, run as a user pastes it: the {@code sh} blocks marked
 * {@code <!-- ReadmeExampleTest: worked example -->}, in order, in one shell, in a directory where
 * {@code ./tether server} has just made its first start. Two things differ from a user's machine, both
 * outside the blocks: {@code ./tether} there runs this build's CLI (not the script, which would build),
 * and the API listens on a free port, which the blocks' {@code localhost:8700} is rewritten to. The CLI
 * finds server and token through the context the server wrote, as the README says it does.
 */
class ReadmeExampleTest {
  private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");
  private static final String MARK = "<!-- ReadmeExampleTest: worked example -->";

  private final Path home = TestChildren.tempDir("readme");
  private final Path config = home.resolve("cli-config.yaml");
  private ServerProcess server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theWorkedExamplePastesAndRuns() throws Exception {
    assertThat(onPath("curl")).as("curl, which the README's example uses (./tether test installs it)").isTrue();
    List<String> blocks = markedBlocks(Files.readString(README));
    assertThat(blocks).as("the README's marked blocks").hasSizeGreaterThanOrEqualTo(3);
    // ./tether server as the README starts it: a first start, its data in ./.tether
    server = ServerProcess.start(home.resolve(".tether"), home, Map.of("TETHER_CONFIG", config.toString()));
    Poll.until(Duration.ofSeconds(10), () -> Files.exists(config), "the server wrote the CLI's local context");
    writeCliLauncher();

    String script = "set -euo pipefail\n" + String.join("\n", blocks).replace("localhost:8700", "localhost:" + server.apiPort);
    Files.writeString(home.resolve("example.sh"), script);
    ProcessBuilder pb = new ProcessBuilder("bash", "example.sh").directory(home.toFile()).redirectErrorStream(true);
    pb.environment().put("TETHER_CONFIG", config.toString());
    Process run = TestChildren.start(pb);
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the example ends").isTrue();
    System.out.println("[ReadmeExampleTest] output:\n" + out);

    assertThat(run.exitValue()).as("every command succeeds; output:\n" + out).isZero();
    assertThat(out).contains("namespace/prod", "service/prod/payments", "perRequestTimeoutSeconds: 5")
        .containsPattern("payments +http +payments:8080 +\\d+\\.\\d+\\.\\d+\\.\\d+ +0/0 healthy")
        .containsPattern("task-1 +10\\.0\\.3\\.7 +15000 +onprem-a +HEALTHY")
        .containsPattern("task-1 +10\\.0\\.3\\.7 +15000 +onprem-a +DRAINING \\(drained\\)")
        .contains("revoked");
    String afterRevoke = out.substring(out.lastIndexOf("revoked"));
    assertThat(afterRevoke).as("the lease's endpoint is gone at once").doesNotContain("task-1");
  }

  /** The marked {@code sh} blocks' contents, in README order. */
  static List<String> markedBlocks(String readme) {
    List<String> blocks = new ArrayList<>();
    int at = readme.indexOf(MARK);
    while (at >= 0) {
      int open = readme.indexOf("```sh\n", at);
      int close = readme.indexOf("\n```", open + 6);
      assertThat(open).as("a ```sh block follows the mark at " + at).isGreaterThan(at);
      blocks.add(readme.substring(open + 6, close + 1));
      at = readme.indexOf(MARK, close);
    }
    return blocks;
  }

  /** {@code ./tether} in the example's directory: this build's CLI, as the script would run it once built. */
  private void writeCliLauncher() throws IOException {
    Path launcher = home.resolve("tether");
    Files.writeString(launcher, "#!/bin/sh\nexec '" + ChildJvm.java() + "' " + String.join(" ", ChildJvm.FLAGS) + " -cp '" + System.getProperty("java.class.path")
        + "' " + TetherMain.class.getName() + " \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, program)));
  }

}
