package io.tether.registry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports for test servers. A port is handed out once per JVM: the kernel may offer a just
 * released port again, and a test that asks for two (a server's xDS port and its local etcd's) must not
 * get the same one twice.
 */
public final class Ports {
  private static final int TRIES = 100;
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private Ports() {}

  public static int free() {
    for (int i = 0; i < TRIES; i++) {
      int port = unbound();
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port that was not handed out already, after " + TRIES + " tries");
  }

  private static int unbound() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
