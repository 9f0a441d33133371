package io.tether.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes a child's stdout and stderr on to the agent's own, byte for byte, and remembers the last
 * lines of both, so that an app that dies can be reported with what it said last.
 */
public final class OutputTail {
  /** A longer line (binary output, a progress bar) is cut here in the tail; it still passes through whole. */
  private static final int MAX_LINE_BYTES = 1000;

  private final int maxLines;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final List<Thread> pumps = new ArrayList<>();

  private OutputTail(int maxLines) {
    this.maxLines = maxLines;
  }

  /** Starts copying the process's stdout to {@code System.out} and its stderr to {@code System.err}. */
  public static OutputTail follow(Process process, int maxLines) {
    OutputTail tail = new OutputTail(maxLines);
    tail.pump(process.getInputStream(), System.out, "stdout-" + process.pid());
    tail.pump(process.getErrorStream(), System.err, "stderr-" + process.pid());
    return tail;
  }

  /**
   * The last lines, oldest first, once both streams have ended or {@code wait} has passed: the
   * streams end when the process exits, unless a process it started still holds them open.
   */
  public List<String> lastLines(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    for (Thread pump : pumps) {
      pump.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private void pump(InputStream from, OutputStream to, String name) {
    Thread t = new Thread(() -> copy(from, to), "tether-app-" + name);
    t.setDaemon(true);
    pumps.add(t);
    t.start();
  }

  private void copy(InputStream from, OutputStream to) {
    byte[] buffer = new byte[8192];
    LineBuffer line = new LineBuffer();
    try (from) {
      for (int n; (n = from.read(buffer)) > 0; ) {
        to.write(buffer, 0, n);
        to.flush();
        line.add(buffer, n);
      }
    } catch (IOException e) {
      // the stream was closed under us: the process is gone, and so is its output
    }
    line.finish();
  }

  private void remember(String line) {
    synchronized (lines) {
      lines.addLast(line);
      while (lines.size() > maxLines) {
        lines.removeFirst();
      }
    }
  }

  /** Splits one stream into lines for the tail. */
  private final class LineBuffer {
    private final byte[] bytes = new byte[MAX_LINE_BYTES];
    private int length;

    void add(byte[] buffer, int n) {
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          finish();
        } else if (length < bytes.length) {
          bytes[length++] = buffer[i];
        }
      }
    }

    void finish() {
      if (length > 0) {
        int end = bytes[length - 1] == '\r' ? length - 1 : length;
        remember(new String(bytes, 0, end, StandardCharsets.UTF_8));
        length = 0;
      }
    }
  }
}
