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
        assertThat(help.out()).as(entry.getKey()).startsWith("Usage: tether agent " + entry.getKey())
            .as("placeholders are upper-case words, as in the operator commands").doesNotContain("<");
      }
      CommandLine cli = entry.getValue();
      cli.getCommandSpec().options().forEach(o -> assertThat(String.join("", o.description()))
          .as(entry.getKey() + " " + o.longestName()).isNotBlank());
    }
  }

  @Test
  void aValueThatIsNotANumberSaysWhatIsWantedNotAJavaType() {
    for (var entry : AgentMain.commandLine().getSubcommands().entrySet()) {
      for (var option : entry.getValue().getCommandSpec().options()) {
        Class<?> type = option.type();
        if (type != Integer.class && type != int.class) {
          continue;
        }
        Cli cli = Cli.run(entry.getKey(), option.longestName(), "abc");
        assertThat(cli.exitCode()).as(entry.getKey() + " " + option.longestName()).isEqualTo(2);
        assertThat(cli.err()).as(entry.getKey() + " " + option.longestName()).hasLineCount(1)
            .startsWith("error: invalid value for " + option.longestName() + ": 'abc' must be ")
            .doesNotContain("is not an int").endsWith("; see 'tether agent " + entry.getKey() + " --help'\n");
      }
    }
    assertThat(Cli.run("run", "--app-port", "abc").err()).contains("'abc' must be a port number (1-65535)");
    assertThat(Cli.run("run", "--app-port", "70000").err()).contains("'70000' must be a port number (1-65535)");
    assertThat(Cli.run("run", "--lease-ttl", "1").err()).contains("'1' must be a number of seconds between 2 and 3600");
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
