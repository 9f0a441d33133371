package io.tether.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports for the agent benchmark's many listeners, handed out one after the other below the ephemeral
 * range (32768 and up), each checked free when handed out: {@link Ports#free} can hand out one port twice
 * to tasks starting at once, or one that an outgoing connection then takes.
 */
final class PortRange {
  private static final int FIRST = 21_000;
  private static final int LAST = 32_000;
  private static int next = FIRST;

  private PortRange() {}

  static synchronized int next() {
    for (int tried = 0; tried <= LAST - FIRST; tried++) {
      int port = next;
      next = next == LAST ? FIRST : next + 1;
      if (free(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + FIRST + "-" + LAST);
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
