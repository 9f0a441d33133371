package io.tether.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code tether} command tree as a whole: help everywhere, one-line usage errors, completion. */
class TetherCliTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TetherMain.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void helpListsTheCommandsAndDocumentsTheExitCodes() {
    Run help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("server", "ns", "svc", "ep", "context", "completion")
        .contains("Exit codes: 0 success, 1 failure, 2 usage error");
  }

  @Test
  void everyCommandAnswersHelpAndEveryOptionHasADescription() {
    visit(TetherMain.commandLine(), "");
  }

  private static void visit(CommandLine cli, String path) {
    CommandSpec spec = cli.getCommandSpec();
    if (!spec.name().equals("help")) {
      String[] args = (path + " --help").trim().split(" ");
      Run help = run(args);
      assertThat(help.exit()).as(String.join(" ", args) + ": " + help.err()).isZero();
      assertThat(help.out()).as(String.join(" ", args)).contains("Usage: ");
      spec.options().forEach(o -> assertThat(String.join("", o.description())).as(path + " " + o.longestName())
          .isNotBlank());
    }
    cli.getSubcommands().forEach((name, sub) -> visit(sub, (path + " " + name).trim()));
  }

  @Test
  void aMistakeIsOneLineWithASuggestionAndExitTwo() {
    Run typo = run("svc", "lst");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).startsWith("error: Unmatched argument at index 1: 'lst'").contains("did you mean list?")
        .contains("see 'tether svc --help'").hasLineCount(1);
    Run option = run("ns", "list", "--sever", "x");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err()).contains("--sever").hasLineCount(1);
  }

  @Test
  void theServersTokensFileAndItsOldNameTogetherAreAUsageError() {
    Run both = run("server", "--tokens-file", "a.json", "--token-file", "b.json");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).startsWith("error: --token-file is the old name of --tokens-file: give one of them")
        .hasLineCount(1);
    assertThat(run("server", "--help").out()).contains("--tokens-file").doesNotContain("--token-file");
  }

  @Test
  void completionScriptsNameTheSubcommands() {
    Run bash = run("completion", "bash");
    assertThat(bash.exit()).isZero();
    assertThat(bash.out()).contains("complete -F _complete_tether", "context", "completion", "svc", "diff", "agent",
        "bootstrap", "--namespace");
    Run zsh = run("completion", "zsh");
    assertThat(zsh.out()).startsWith("autoload -U +X bashcompinit && bashcompinit").contains("_complete_tether");
    assertThat(run("completion", "fish").exit()).isEqualTo(2);
  }
}
