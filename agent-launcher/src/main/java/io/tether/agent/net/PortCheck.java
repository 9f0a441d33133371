package io.tether.agent.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks that the app's port is free before the app starts. If it is not, the app would die with
 * EADDRINUSE while the health check (on 127.0.0.1:port) found whoever holds the port healthy, and the
 * agent would register that process in the app's place.
 */
public final class PortCheck {
  private PortCheck() {}

  /**
   * Binds the port on the wildcard address (IPv6 and IPv4 where dual-stack), which fails while anyone
   * listens on it on any address.
   *
   * @throws IllegalStateException naming the port, and the process listening on it when /proc tells
   */
  public static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // As servers bind: a port whose last connections linger in TIME_WAIT is free for the app too.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
    } catch (BindException e) {
      String holder = PortHolder.of(port).map(h -> ", held by " + h).orElse("");
      throw new IllegalStateException("the app's port " + port + " is already in use" + holder
          + ": stop that process or give the app another --app-port");
    } catch (IOException e) {
      throw new IllegalStateException("cannot check the app's port " + port + ": " + e.getMessage(), e);
    }
  }
}
