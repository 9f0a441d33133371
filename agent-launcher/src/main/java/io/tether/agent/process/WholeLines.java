package io.tether.agent.process;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Passes a stream on in whole lines, each batch of them in one write. The agent's stdout is shared:
 * every Envoy writes its access log straight into it, line by line, so an app's line written in two
 * pieces could get an access-log line in its middle. A chunk's unfinished last line is held back only
 * while more of the stream is already waiting (the chunk ended inside a line), and never beyond
 * {@link #MAX_HELD} bytes, so an app that writes half a line and pauses is still seen at once.
 */
final class WholeLines {
  static final int MAX_HELD = 64 * 1024;

  private final OutputStream to;
  private byte[] held = new byte[8192];
  private int length;

  WholeLines(OutputStream to) {
    this.to = to;
  }

  /** Takes the next {@code n} bytes of the stream; {@code moreWaiting} when the stream has more at hand. */
  void write(byte[] buffer, int n, boolean moreWaiting) throws IOException {
    hold(buffer, n);
    int end = moreWaiting && length < MAX_HELD ? lastNewline() + 1 : length;
    if (end > 0) {
      to.write(held, 0, end);
      to.flush();
      System.arraycopy(held, end, held, 0, length - end);
      length -= end;
    }
  }

  /** At the stream's end: whatever is held, a last line without its newline. */
  void finish() throws IOException {
    if (length > 0) {
      to.write(held, 0, length);
      to.flush();
      length = 0;
    }
  }

  private void hold(byte[] buffer, int n) {
    if (length + n > held.length) {
      held = Arrays.copyOf(held, Math.max(held.length * 2, length + n));
    }
    System.arraycopy(buffer, 0, held, length, n);
    length += n;
  }

  private int lastNewline() {
    for (int i = length - 1; i >= 0; i--) {
      if (held[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
