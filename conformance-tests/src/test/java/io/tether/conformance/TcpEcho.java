package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A TCP server on 127.0.0.1 that echoes what each connection sends: a tcp service's app. */
final class TcpEcho {
  private TcpEcho() {}

  static ServerSocket start() throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
          in.transferTo(out);
        } catch (IOException e) {
          // closed: the test is over
        }
      }
    }, "tcp-echo");
    t.setDaemon(true);
    t.start();
    return server;
  }

  /**
   * Sends {@code text}, reads it back, and closes: one connection through the tcp_proxy. It does not
   * half-close first: a PERMISSIVE ingress (docs/security.md) inspects the first bytes, and Envoy resets a
   * connection whose client half-closes while its listener filters still inspect it.
   */
  static void roundTrip(String host, int port, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write(bytes);
      assertThat(new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8)).isEqualTo(text);
    }
  }
}
