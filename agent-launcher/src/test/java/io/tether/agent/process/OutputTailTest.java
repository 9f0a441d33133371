package io.tether.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
}
