package io.tether.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link ProtocolCallerMain} running on a test host, read call by call. Its calls are bounded (2 s), so
 * every read returns within a few seconds; closing it closes its stdin, and it exits.
 */
final class HostCaller implements AutoCloseable {
  private final Process process;
  private final BufferedReader answers;
  private long lastAt;

  HostCaller(Process process) {
    this.process = process;
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The next call's answer. */
  String next() throws IOException {
    String line = answers.readLine();
    if (line == null) {
      throw new AssertionError("the caller exited: " + process.onExit().join().exitValue());
    }
    int space = line.indexOf(' ');
    lastAt = Long.parseLong(line.substring(0, space));
    return line.substring(space + 1);
  }

  /** When the call last read ended (epoch ms, the caller's clock: this machine's). */
  long lastAt() {
    return lastAt;
  }

  List<String> next(int count) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(next());
    }
    return out;
  }

  /** The answers read until those seen so far satisfy {@code done}, within {@code timeout}. */
  List<String> until(Duration timeout, Predicate<List<String>> done, String what) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    while (!done.test(seen)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what + "; last answers "
            + seen.subList(Math.max(0, seen.size() - 5), seen.size()));
      }
      seen.add(next());
    }
    return seen;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
