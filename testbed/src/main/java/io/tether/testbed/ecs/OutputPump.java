package io.tether.testbed.ecs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A container's stdout and stderr (merged), line by line to the stand-in's stdout with the container's name in
 * front, {@code [app] listening on 8080}: the emulation's {@code docker logs}, which the tests read.
 */
final class OutputPump {
  /** util-linux 2.38's unshare says this when its child was killed by a signal: the emulation's, not the container's. */
  private static final String UNSHARE_NOISE = "unshare: sigprocmask unblock failed: Invalid argument";

  private final PrintStream out;

  OutputPump(PrintStream out) {
    this.out = out;
  }

  void follow(String name, InputStream stream) {
    Thread t = new Thread(() -> pump(name, stream), "logs-" + name);
    t.setDaemon(true);
    t.start();
  }

  /** A line of the stand-in itself about a container or task. */
  void note(String what) {
    synchronized (out) {
      out.println("[ecs-agent] " + what);
      out.flush();
    }
  }

  private void pump(String name, InputStream stream) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals(UNSHARE_NOISE)) {
          continue;
        }
        synchronized (out) {
          out.println("[" + name + "] " + line);
          out.flush();
        }
      }
    } catch (IOException e) {
      note(name + ": output lost: " + e.getMessage());
    }
  }
}
