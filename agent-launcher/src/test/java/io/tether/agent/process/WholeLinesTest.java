package io.tether.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines reach the shared stdout whole, each write ending a line, unless nothing more is at hand. */
class WholeLinesTest {
  /** Records each write as the string it wrote. */
  private static final class Writes extends OutputStream {
    final List<String> writes = new ArrayList<>();

    @Override
    public void write(int b) {
      writes.add(String.valueOf((char) b));
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes.add(new String(b, off, len, StandardCharsets.UTF_8));
    }
  }

  @Test
  void aLineCutByTheReadBufferIsWrittenWholeOnceItsRestArrives() throws IOException {
    Writes out = new Writes();
    WholeLines lines = new WholeLines(out);
    write(lines, "first line\nsecond li", true);
    write(lines, "ne\nthird", true);
    write(lines, " line\n", false);

    assertThat(out.writes).containsExactly("first line\n", "second line\n", "third line\n");
  }

  @Test
  void halfALineIsWrittenAtOnceWhenNothingMoreIsWaitingAndTheLastLineAtTheEnd() throws IOException {
    Writes out = new Writes();
    WholeLines lines = new WholeLines(out);
    write(lines, "Loading", false);
    write(lines, "... done\nbye", true);
    lines.finish();

    assertThat(out.writes).containsExactly("Loading", "... done\n", "bye");
  }

  @Test
  void aLineLongerThanWhatIsHeldIsPassedOnInPieces() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WholeLines lines = new WholeLines(out);
    String chunk = "x".repeat(8192);
    for (int held = 0; held < WholeLines.MAX_HELD; held += chunk.length()) {
      assertThat(out.size()).as("held while under MAX_HELD").isZero();
      write(lines, chunk, true);
    }

    assertThat(out.size()).as("written once MAX_HELD is held").isEqualTo(WholeLines.MAX_HELD);
  }

  private static void write(WholeLines lines, String text, boolean moreWaiting) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    lines.write(bytes, bytes.length, moreWaiting);
  }
}
