package io.tether.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import io.tether.client.cli.CliEnvironment;
import io.tether.client.cli.CliErrors;
import java.util.Map;
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
      pathsAreNotSplit(spec, help.out());
    }
    cli.getSubcommands().forEach((name, sub) -> visit(sub, (path + " " + name).trim()));
  }

  @Test
  void aMistakeIsOneLineWithASuggestionOnlyWhenOneIsCloseAndExitTwo() {
    Run typo = run("svc", "lst");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).isEqualTo("error: unknown command 'lst' (did you mean list?); see 'tether svc --help'\n");
    Run unknown = run("frobnicate");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).isEqualTo("error: unknown command 'frobnicate'; see 'tether --help'\n");
    Run option = run("ns", "list", "--sever", "x");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err()).startsWith("error: unknown option '--sever' (did you mean --server?)").hasLineCount(1);
    Run extra = run("ns", "get", "a", "b");
    assertThat(extra.err()).isEqualTo("error: unexpected argument 'b'; see 'tether ns get --help'\n");
  }

  @Test
  void hintsNameTheCommandAsTheUserTypedIt() {
    CliEnvironment.replaceForTests(Map.of("TETHER_PROG", "./tether"));
    try {
      assertThat(run("svc", "lst").err()).endsWith("; see './tether svc --help'\n");
      assertThat(run("lease", "revoke", "abc").err()).contains("(as `./tether lease list` shows)");
    } finally {
      CliEnvironment.replaceForTests(null);
    }
  }

  @Test
  void aLeaseIdThatIsNotDigitsSaysWhatALeaseIdIs() {
    Run revoke = run("lease", "revoke", "abc");
    assertThat(revoke.exit()).isEqualTo(2);
    assertThat(revoke.err()).isEqualTo("error: lease id must be digits (as `tether lease list` shows), not 'abc'; "
        + "see 'tether lease revoke --help'\n");
  }

  @Test
  void noValueConversionErrorNamesAJavaType() {
    checkConversions(TetherMain.commandLine(), "");
  }

  /** Every option that takes a number or an enum, given a word: the error must not say "int", "long" or a class. */
  private static void checkConversions(CommandLine cli, String path) {
    for (CommandLine.Model.OptionSpec o : cli.getCommandSpec().options()) {
      Class<?> type = o.type();
      boolean converted = type.isEnum() || type == int.class || type == Integer.class || type == long.class
          || type == Long.class;
      if (converted && o.arity().max() > 0) {
        String[] args = (path + " " + o.longestName() + " not-a-value").trim().split(" ");
        Run bad = run(args);
        assertThat(bad.exit()).as(String.join(" ", args) + ": " + bad.err()).isEqualTo(2);
        assertThat(bad.err()).as(String.join(" ", args)).contains("not-a-value").hasLineCount(1)
            .doesNotContainPattern("\\b(int|long|Integer|Long|java\\.\\w+)\\b");
      }
    }
    cli.getSubcommands().forEach((name, sub) -> checkConversions(sub, (path + " " + name).trim()));
  }

  @Test
  void helpCommandPrintsThatCommandsHelp() {
    Run help = run("help", "svc");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).startsWith("Usage: tether svc").contains("apply", "diff", "list", "get", "delete");
  }

  @Test
  void aBugIsAnInternalErrorSayingHowToSeeTheStackTraceNeverABareJavaMessage() {
    CommandLine cli = CliErrors.install(new CommandLine(new Buggy()));
    StringWriter err = new StringWriter();
    int exit = cli.setErr(new PrintWriter(err)).execute();
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("tether: error: internal error: NullPointerException: Cannot invoke "
        + "\"String.length()\" because \"s\" is null (TETHER_DEBUG=1 for the stack trace)\n");
  }

  @CommandLine.Command(name = "buggy")
  static final class Buggy implements Runnable {
    @Override
    public void run() {
      throw new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null");
    }
  }

  /**
   * Picocli breaks lines after a '.', which split ".tether/admin.token" into ". tether/admin.token": every
   * word of a description with a '.' or '/' inside (a path, a host name, "e.g.") is printed whole.
   */
  private static void pathsAreNotSplit(CommandSpec spec, String help) {
    String flat = help.replaceAll("\\s+", " ");
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      for (String word : String.join(" ", o.description()).replace("%n", " ").split("\\s+")) {
        String w = word.replaceAll("^[(`'\"]+|[,;:)`'\"]+$", "");
        if (!w.contains("${") && w.matches(".*\\w[./]\\w.*")) {
          assertThat(flat).as("%s --help: '%s' whole", spec.qualifiedName(), w).contains(w);
        }
      }
    }
  }

  @Test
  void theTokenOptionsShowTheDefaultPathWhole() {
    assertThat(run("ns", "list", "--help").out()).contains(".tether/admin.token)", "for example .tether/admin.token");
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
  void aTrustDomainThatIsNoSpiffeTrustDomainIsAUsageError() {
    Run bad = run("server", "--trust-domain", "Mesh.Example");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("error: ").contains("trust domain", "Mesh.Example").hasLineCount(1);
    assertThat(run("server", "--help").out()).contains("--trust-domain", "tether.local");
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
