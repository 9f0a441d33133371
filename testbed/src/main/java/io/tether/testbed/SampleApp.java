package io.tether.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * A task's app: an HTTP/1.1 server on {@code 127.0.0.1:PORT} that answers its name on every path, and
 * {@code ok} on {@code /health} for the agent's health check. It exits 0 on SIGTERM, as an app that
 * stops cleanly does. Usage: {@code SampleApp NAME PORT [BIND [DRAIN_MS]]}: in a container on a Docker bridge it
 * binds {@code 0.0.0.0}, so that its sidecar (another container) and its port mapping reach it at its address;
 * with {@code DRAIN_MS} it keeps serving that long after SIGTERM, as an app of an ECS task should (docs/ecs.md).
 */
public final class SampleApp {
  private SampleApp() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    String bind = args.length > 2 ? args[2] : "127.0.0.1";
    long drainMs = args.length > 3 ? Long.parseLong(args[3]) : 0;
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, Integer.parseInt(args[1])), 0);
    server.createContext("/", exchange -> answer(exchange, name));
    server.createContext("/health", exchange -> answer(exchange, "ok"));
    server.start();
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    stop.await();
    if (drainMs > 0) {
      Thread.sleep(drainMs); // serving on: what a draining app does, not a synchronisation
    }
    server.stop(0);
    System.exit(0);
  }

  private static void answer(HttpExchange exchange, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
