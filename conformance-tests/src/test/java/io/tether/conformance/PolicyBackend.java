package io.tether.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP backend for {@link EnvoyPolicyTest}: {@code /warm} answers at once, every other path goes
 * to its handler, which is told how many times this request's id ({@code x-test-id}) was seen.
 */
final class PolicyBackend implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  PolicyBackend(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext("/warm", exchange -> answer(exchange, 200, "warm"));
    server.createContext("/", exchange -> {
      String id = String.valueOf(exchange.getRequestHeaders().getFirst("x-test-id"));
      try {
        handler.handle(exchange, attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
      } catch (IOException e) {
        // Envoy gave up on this attempt (timeout) and closed the connection: nobody to answer.
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  int attempts(String id) {
    AtomicInteger n = attempts.get(id);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** Answers a request, given how many times the backend has seen this request's id before (1 first). */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange, int attempt) throws Exception;
  }

  static void failFirstAttempt(HttpExchange exchange, int attempt) throws IOException {
    if (attempt == 1) {
      answer(exchange, 503, "attempt 1 failed");
    } else {
      answer(exchange, 200, "attempt " + attempt);
    }
  }

  /** A slow backend: the latency under test, not a wait for anything (the test's waits poll with deadlines). */
  static void answerAfter(HttpExchange exchange, long millis, int status) throws Exception {
    Thread.sleep(millis);
    answer(exchange, status, "after " + millis + " ms");
  }

  static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
