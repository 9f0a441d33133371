package io.tether.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The tail of a real child's output. */
class OutputTailTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void keepsTheLastLinesOnly() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "seq 1 50").start();
    OutputTail tail = OutputTail.follow(p, 20);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(tail.lastLines(WAIT)).isEqualTo(IntStream.rangeClosed(31, 50).mapToObj(Integer::toString).toList());
  }

  @Test
  void keepsBothStreamsAndALastLineWithoutNewline() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "echo 'bind: address in use' >&2; printf 'one\\r\\ntwo'").start();
    OutputTail tail = OutputTail.follow(p, 20);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

    List<String> lines = tail.lastLines(WAIT);
    assertThat(lines).containsExactlyInAnyOrder("bind: address in use", "one", "two");
    assertThat(lines).containsSubsequence("one", "two");
  }

  @Test
  void ofAFileKeepsTheLastLinesOfItsEndWithoutTheLineItCuts() throws Exception {
    Path log = Files.createTempFile("output-tail", ".log");
    try {
      // 100 lines of 1 KiB: more than the 64 KiB read, so the read begins inside a line.
      String filler = "x".repeat(1023);
      Files.writeString(log, IntStream.rangeClosed(1, 100).mapToObj(i -> i + filler.substring(Integer.toString(i).length()))
          .collect(Collectors.joining("\n")) + "\nsecond to last\nlast, without newline");

      List<String> lines = OutputTail.lastLinesOf(log, 100);
      assertThat(lines).endsWith("second to last", "last, without newline");
      assertThat(lines).as("each line whole, up to the 1000 bytes a tail keeps of one")
          .allMatch(l -> l.startsWith("second") || l.startsWith("last") || l.length() == 1000 && l.matches("\\d+x+"));
      assertThat(lines.get(0)).as("the line cut by the read is left out").isEqualTo("38" + filler.substring(2, 1000));
      assertThat(OutputTail.lastLinesOf(log, 2)).containsExactly("second to last", "last, without newline");
    } finally {
      Files.delete(log);
    }
  }

  @Test
  void ofAMissingFileIsEmptyAndReportedAsNothingWritten() {
    List<String> lines = OutputTail.lastLinesOf(Path.of("/nonexistent/envoy.log"), 20);
    assertThat(lines).isEmpty();
    assertThat(OutputTail.report(lines)).isEqualTo(" (it wrote nothing)");
    assertThat(OutputTail.report(List.of("a", "b"))).isEqualTo("; its last 2 lines:\n    a\n    b");
  }
}
