package io.tether.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An HTTP backend on 127.0.0.1 that answers 200 with its name, or 503 while {@link #failing}: what
 * outlier detection ejects and zone failover moves away from.
 */
final class SwitchableBackend {
  volatile boolean failing;
  private final HttpServer server;

  /** Starts the backend and adds its server to {@code started}, which the test stops at its end. */
  SwitchableBackend(String name, List<HttpServer> started) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      boolean fail = failing;
      byte[] body = (fail ? "failing" : name).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    started.add(server);
  }

  int port() {
    return server.getAddress().getPort();
  }
}
