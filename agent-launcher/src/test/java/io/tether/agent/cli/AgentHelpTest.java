package io.tether.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.AgentMain;
import io.tether.agent.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every {@code tether agent} command answers -h/--help and describes every option, hidden ones included. */
class AgentHelpTest {
  @Test
  void everyCommandAnswersHelpAndDescribesEveryOption() {
    for (var entry : AgentMain.commandLine().getSubcommands().entrySet()) {
      if (entry.getKey().equals("help")) {
        continue;
      }
      for (String flag : new String[] {"-h", "--help"}) {
        Cli help = Cli.run(entry.getKey(), flag);
        assertThat(help.exitCode()).as(entry.getKey() + " " + flag + ": " + help.err()).isZero();
        assertThat(help.out()).as(entry.getKey()).startsWith("Usage: agent " + entry.getKey());
      }
      CommandLine cli = entry.getValue();
      cli.getCommandSpec().options().forEach(o -> assertThat(String.join("", o.description()))
          .as(entry.getKey() + " " + o.longestName()).isNotBlank());
    }
  }

  @Test
  void theOldControlPlaneFlagIsHiddenAndSaysItIsDeprecated() {
    Cli help = Cli.run("run", "--help");
    assertThat(help.out()).contains("--server").doesNotContain("--control-plane");
    var old = AgentMain.commandLine().getSubcommands().get("run").getCommandSpec().findOption("--control-plane");
    assertThat(old.hidden()).isTrue();
    assertThat(old.description()[0]).startsWith("Deprecated: the old name of --server");
  }
}
