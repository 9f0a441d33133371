package io.tether.main;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.TestChildren;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tether completion bash} as bash runs it: the script is sourced by a real bash, which is asked
 * for completions as a TAB would ask ({@code COMP_WORDS}, {@code COMP_CWORD}, {@code COMP_LINE}), for the
 * command typed as {@code ./tether} and as {@code tether}.
 */
class CompletionScriptTest {
  private static Path script;
  private final Path dir = TestChildren.tempDir("completion");

  @BeforeAll
  static void generate() throws Exception {
    StringWriter out = new StringWriter();
    int exit = TetherMain.commandLine().setOut(new PrintWriter(out)).execute("completion", "bash");
    assertThat(exit).isZero();
    script = Files.writeString(TestChildren.tempDir("completion-script").resolve("tether.bash"), out.toString());
  }

  @Test
  void bothTetherAndDotSlashTetherAreRegistered() throws Exception {
    assertThat(bash("complete -p ./tether; complete -p tether", null))
        .contains("complete -o default -F _complete_tether ./tether")
        .containsPattern("complete -o default -F _complete_tether .*tether");
  }

  @Test
  void dotSlashTetherCompletesTheCommands() throws Exception {
    assertThat(complete(null, "./tether", "s")).contains("svc", "server", "status").doesNotContain("ns");
    assertThat(complete(null, "tether", "s")).contains("svc", "server", "status");
  }

  @Test
  void outputFormatsAreCompleted() throws Exception {
    assertThat(complete(null, "./tether", "svc", "list", "-o", "")).containsExactlyInAnyOrder("table", "json", "yaml");
  }

  @Test
  void contextUseShowAndDeleteCompleteTheContextNamesFromTheConfigFile() throws Exception {
    Path config = Files.writeString(dir.resolve("config.yaml"), "current: local\ncontexts:\n  lab:\n"
        + "    server: http://lab.internal:8700\n  local:\n    server: http://127.0.0.1:8700\n"
        + "    namespace: prod\n  prod-eu:\n    server: https://eu.internal:8700\n");
    assertThat(complete(config, "./tether", "context", "use", "")).containsExactlyInAnyOrder("lab", "local", "prod-eu");
    assertThat(complete(config, "./tether", "context", "use", "l")).containsExactlyInAnyOrder("lab", "local");
    assertThat(complete(config, "tether", "context", "delete", "p")).containsExactly("prod-eu");
    assertThat(complete(config, "tether", "context", "show", "")).hasSize(3);
    assertThat(complete(dir.resolve("none.yaml"), "./tether", "context", "use", "")).as("no config file").isEmpty();
  }

  /** The completions bash offers for the last word of {@code words}, as a TAB at the end of the line. */
  private List<String> complete(Path config, String... words) throws Exception {
    StringBuilder array = new StringBuilder();
    for (String w : words) {
      array.append(" '").append(w).append("'");
    }
    String line = String.join(" ", words);
    String run = "COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line
        + "'; COMP_POINT=${#COMP_LINE}; _complete_tether; printf '%s\\n' \"${COMPREPLY[@]}\"";
    return bash(run, config).lines().filter(l -> !l.isBlank()).map(String::strip).toList();
  }

  private String bash(String commands, Path config) throws Exception {
    // stderr is dropped: outside a real TAB, compopt says "not currently executing completion function".
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source '" + script + "'; " + commands)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("TETHER_CONFIG", config == null ? dir.resolve("absent.yaml").toString() : config.toString());
    Process p = TestChildren.start(pb);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("bash ended").isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
