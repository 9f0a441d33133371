package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/** The JDK HTTP server as the three surfaces use it: one handler per server, JSON bodies as Go writes them. */
final class Http {
  private Http() {}

  static HttpServer serve(String address, int port, HttpHandler handler, String name) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
      server.createContext("/", exchange -> {
        try (exchange) {
          handler.handle(exchange);
        } catch (RuntimeException e) {
          text(exchange, 500, "emulation error: " + e + "\n");
        }
      });
      server.setExecutor(Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      }));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port + " (" + name + ")", e);
    }
  }

  /** {@code json.Marshal(body)} with Content-Type application/json, as tmds WriteJSONResponse writes it. */
  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json", GoJson.MAPPER.writeValueAsBytes(body));
  }

  /** A Go string marshalled: the agent's error messages are JSON strings. */
  static void jsonString(HttpExchange exchange, int status, String message) throws IOException {
    send(exchange, status, "application/json", GoJson.MAPPER.writeValueAsBytes(message));
  }

  static void text(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  /** Gorilla mux's answer to a path it has no route for. */
  static void notFound(HttpExchange exchange) throws IOException {
    text(exchange, 404, "404 page not found\n");
  }

  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        out.putIfAbsent(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    return bytes.length == 0 ? GoJson.object() : GoJson.MAPPER.readTree(bytes);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }
}
