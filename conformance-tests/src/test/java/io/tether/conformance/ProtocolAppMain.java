package io.tether.conformance;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * A host's app for one appProtocol, the app command of {@code tether agent run}; it answers its name on
 * {@code 0.0.0.0:PORT} and exits on SIGTERM, or by itself after 5 minutes so that nothing outlives a
 * broken run.
 * <ul>
 *   <li>{@code http NAME PORT SICK_FILE}: HTTP/1.1, every path; {@code /healthz} answers 503 while
 *       {@code SICK_FILE} exists, so a test can fail the agent's health check without racing the agent;
 *   <li>{@code http2 NAME PORT}: h2c (prior knowledge, and HTTP/1.1 for the agent's health check); the answer
 *       is {@code NAME/VERSION}, the HTTP version the app was spoken to with;
 *   <li>{@code tcp NAME PORT}: for each line a connection sends, {@code NAME} and the line.
 * </ul>
 * gRPC apps are {@link HostBackendMain}.
 */
public final class ProtocolAppMain {
  private ProtocolAppMain() {}

  public static void main(String[] args) throws Exception {
    String name = args[1];
    int port = Integer.parseInt(args[2]);
    switch (args[0]) {
      case "http" -> http(name, port, Path.of(args[3]));
      case "http2" -> http2(name, port);
      case "tcp" -> tcp(name, port);
      default -> throw new IllegalArgumentException("protocol: " + args[0]);
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    stop.await(5, TimeUnit.MINUTES);
    System.exit(0);
  }

  private static void http(String name, int port, Path sick) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
    HttpBackends.answerEveryPath(server, name);
    server.createContext("/healthz", exchange -> {
      exchange.sendResponseHeaders(Files.exists(sick) ? 503 : 200, -1);
      exchange.close();
    });
    server.start();
  }

  private static void http2(String name, int port) throws Exception {
    Vertx.vertx().createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
        .requestHandler(request -> request.response().end(name + "/" + request.version()))
        .listen(port, "0.0.0.0").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void tcp(String name, int port) throws Exception {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress("0.0.0.0", port));
    daemon(() -> {
      while (true) {
        try {
          Socket s = server.accept();
          daemon(() -> echo(name, s));
        } catch (Exception e) {
          return;
        }
      }
    });
  }

  /** Answers each line with the app's name until the peer closes (the agent's TCP check just connects). */
  private static void echo(String name, Socket s) {
    try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.println(name + " " + line);
      }
    } catch (Exception e) {
      // the peer went away
    }
  }

  static void daemon(Runnable task) {
    Thread t = new Thread(task);
    t.setDaemon(true);
    t.start();
  }
}
