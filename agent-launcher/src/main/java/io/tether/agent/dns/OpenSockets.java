package io.tether.agent.dns;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets an AliasDns has open besides its listening ones: upstream exchanges and TCP clients.
 * A thread blocked in a java.net socket read is not woken by an interrupt, so close() closes these
 * sockets instead, and their threads fail out of the read at once. Thread-safe.
 */
final class OpenSockets {
  private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Registers {@code socket}; closes it and throws when closeAll() came first. */
  <T extends Closeable> T add(T socket) throws IOException {
    open.add(socket);
    // Checked after the add: a closeAll() running concurrently either sees the socket or has set the flag.
    if (closed) {
      remove(socket);
      throw new SocketException("DNS server closed");
    }
    return socket;
  }

  /** Closes {@code socket} and forgets it. */
  void remove(Closeable socket) {
    open.remove(socket);
    closeQuietly(socket);
  }

  void closeAll() {
    closed = true;
    open.forEach(OpenSockets::closeQuietly);
    open.clear();
  }

  static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // closing: nothing is left to do with it
    }
  }
}
