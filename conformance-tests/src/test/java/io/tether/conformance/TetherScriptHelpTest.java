package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.TestChildren;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tether}'s own help: it lists every command, and the help of the commands the script itself
 * runs (test, build, envoy, node, bench) has no side effect. To prove that, the script runs with a PATH that
 * holds only the shell tools it needs: no java, no mvn, no apt-get. Without {@code --help} the same
 * command reaches its first requirement and fails on it, so the help really returned before it.
 */
class TetherScriptHelpTest {
  private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("tether");
  private static final List<String> TOOLS = List.of("bash", "cat", "dirname", "env", "id", "command");

  @Test
  void theTopLevelHelpListsEveryCommand() throws Exception {
    Result r = run("--help");
    assertThat(r.status()).isZero();
    assertThat(r.output()).contains("usage: ./tether COMMAND", "server", "agent run|host|ecs-task|bootstrap|inject",
        "ns create|list|get|delete", "svc apply|diff|list|get|delete", "ep list|drain|undrain|delete", "proxies",
        "proxy config NODE", "status", "watch", "lease list|revoke", "context list|use|set|show|delete",
        "completion bash|zsh", "help COMMAND", "demo", "test [MVN ARGS...]", "build", "envoy install|path|version",
        "node path|version", "bench", "Exit codes");
    assertThat(run().output()).as("no command: the same help").isEqualTo(r.output());
  }

  @Test
  void theTopLevelHelpNamesEveryCommandOfTheJavaCommandTree() throws Exception {
    String usage = run("--help").output();
    for (String command : io.tether.main.TetherMain.commandLine().getSubcommands().keySet()) {
      assertThat(usage).as("./tether --help lists " + command).containsPattern("(?m)^  " + Pattern.quote(command) + "\\b");
    }
  }

  @Test
  void theTestCommandsHelpRunsNothing() throws Exception {
    Result help = run("test", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.output()).contains("usage: ./tether test", "TETHER_TESTS_WITHOUT_ENVOY", "TETHER_KEEP_TEST_DIRS");

    Result real = run("test");
    assertThat(real.status()).as("without --help it needs a JDK, which this PATH lacks").isNotZero();
    assertThat(real.output()).contains("JDK 17 is required");
  }

  @Test
  void theScriptsOtherCommandsAnswerHelpWithoutSideEffects() throws Exception {
    assertThat(run("build", "-h").output()).startsWith("usage: ./tether build");
    assertThat(run("envoy", "--help").output()).startsWith("usage: ./tether envoy install|path|version");
    assertThat(run("node", "--help").output()).startsWith("usage: ./tether node path|version");
    assertThat(run("bench", "--help").output()).startsWith("usage: ./tether bench");
    assertThat(run("help", "build").output()).as("help COMMAND is COMMAND --help").startsWith("usage: ./tether build");
    Result helpTest = run("help", "test");
    assertThat(helpTest.status()).isZero();
    assertThat(helpTest.output()).as("help test runs nothing either").startsWith("usage: ./tether test");
    assertThat(run("help").output()).as("help alone: the usage").startsWith("usage: ./tether COMMAND");
    Result bare = run("bench");
    assertThat(bare.status()).as("bench without a benchmark is a usage error").isEqualTo(2);
  }

  private record Result(int status, String output) {}

  private static Result run(String... args) throws Exception {
    Path bin = TestChildren.tempDir("script-path");
    for (String tool : TOOLS) {
      Path real = Path.of("/usr/bin", tool);
      if (Files.exists(real)) {
        Files.createSymbolicLink(bin.resolve(tool), real);
      }
    }
    List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", bin.toString());
    Process p = TestChildren.start(pb);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }
}
