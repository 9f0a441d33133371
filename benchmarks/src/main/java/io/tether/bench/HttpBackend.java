package io.tether.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The app behind the callee sidecars: the JDK's HTTP server on loopback, answering every request "ok", or
 * its name (on a small pool, so that the load's concurrency reaches it).
 */
final class HttpBackend implements AutoCloseable {
  static {
    // Without it the server writes headers and body in two segments and Nagle's algorithm meets the
    // peer's delayed ACK: 40 ms per keep-alive response. Read once, when the JDK's server first starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  HttpBackend() throws IOException {
    this("ok");
  }

  /** A backend whose every answer is {@code name}: which backend took a call. */
  HttpBackend(String name) throws IOException {
    byte[] answer = name.getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(answer);
      }
    });
    server.setExecutor(pool);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
