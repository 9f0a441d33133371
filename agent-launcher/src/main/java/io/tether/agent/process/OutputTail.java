package io.tether.agent.process;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes a child's stdout and stderr on to the agent's own, byte for byte and in whole lines
 * ({@link WholeLines}: Envoy's access log shares the agent's stdout), and remembers the last
 * lines of both, so that an app that dies can be reported with what it said last. The same for a
 * child whose output went to a file: {@link #lastLinesOf}.
 */
public final class OutputTail {
  /** A longer line (binary output, a progress bar) is cut here in the tail; it still passes through whole. */
  private static final int MAX_LINE_BYTES = 1000;
  /** How much of a file's end is read for its last lines: a log can be large, its last lines are not. */
  private static final int FILE_TAIL_BYTES = 64 * 1024;

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
   * The last lines of a file a process wrote its output to, oldest first: of its last 64 KiB, without
   * the line that those cut; empty when there is no such file.
   */
  public static List<String> lastLinesOf(Path file, int maxLines) {
    OutputTail tail = new OutputTail(maxLines);
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long start = Math.max(0, channel.size() - FILE_TAIL_BYTES);
      // From the byte before the window, so that a window that begins with a whole line keeps it.
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(Math.max(0, start - 1))));
      if (start > 0) {
        skipLine(in); // the end of a line the window cut in two
      }
      tail.copy(in, OutputStream.nullOutputStream());
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
    return tail.lines();
  }

  private static void skipLine(InputStream in) throws IOException {
    int b;
    do {
      b = in.read();
    } while (b != -1 && b != '\n');
  }

  /**
   * "; its last 3 lines:" and the lines, each on a line of its own, indented; or " (it wrote
   * nothing)": the end of a report on a process that failed.
   */
  public static String report(List<String> last) {
    if (last.isEmpty()) {
      return " (it wrote nothing)";
    }
    StringBuilder report = new StringBuilder("; its last ").append(last.size() == 1 ? "line" : last.size() + " lines")
        .append(':');
    last.forEach(line -> report.append("\n    ").append(line));
    return report.toString();
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
    return lines();
  }

  private List<String> lines() {
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
    WholeLines out = new WholeLines(to);
    try (from) {
      for (int n; (n = from.read(buffer)) > 0; ) {
        out.write(buffer, n, from.available() > 0);
        line.add(buffer, n);
      }
      out.finish();
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
