package io.tether.conformance;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An app whose answers are known from its paths: 500 {@code failed} on every path under {@code /fail},
 * 200 {@code ok} on every other; exits 0 on SIGTERM. For the metrics test's k failures out of n calls.
 */
public final class StatusHttpMain {
  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[0])), 0);
    server.createContext("/", exchange -> {
      boolean fail = exchange.getRequestURI().getPath().startsWith("/fail");
      byte[] body = (fail ? "failed" : "ok").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    HttpBackends.serveUntilSigterm(server);
  }
}
