package io.tether.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** Tiny HTTP backends for the sidecar tests: each answers who it is. */
final class HttpBackends {
  private HttpBackends() {}

  /** An HTTP server on 127.0.0.1 that answers every request with {@code answer}. */
  static HttpServer httpBackend(String answer) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      answerEveryPath(server, answer);
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code server} answer 200 {@code answer} on every path. */
  static void answerEveryPath(HttpServer server, String answer) {
    byte[] body = answer.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
  }

  /** Starts {@code server} and serves until SIGTERM, then exits 0: an app's life under the agent. */
  static void serveUntilSigterm(HttpServer server) throws InterruptedException {
    server.start();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    stop.await();
    server.stop(0);
    System.exit(0);
  }
}
