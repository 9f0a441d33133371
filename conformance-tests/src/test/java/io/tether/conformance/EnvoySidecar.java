package io.tether.conformance;

import com.sun.net.httpserver.HttpServer;
import io.tether.registry.json.Json;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real Envoy on this host, bootstrapped as the agent bootstraps it ({@link EnvoySidecarTest#bootstrap})
 * to a Mesh's xDS port, with one worker thread; {@link #close} leaves no process behind. Plus the
 * HTTP plumbing tests of it share: backends on 127.0.0.1 answering their name, and plain GETs.
 */
final class EnvoySidecar implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  final String nodeId;
  final String adminUrl;
  private final Path log;
  private final Process process;

  private EnvoySidecar(String nodeId, String adminUrl, Path log, Process process) {
    this.nodeId = nodeId;
    this.adminUrl = adminUrl;
    this.log = log;
    this.process = process;
  }

  /** Starts Envoy with its files in {@code dir}; {@link #awaitReady} waits for its configuration. */
  static EnvoySidecar start(Mesh mesh, Path dir) throws IOException {
    int admin = Ports.free();
    Path bootstrap = dir.resolve("bootstrap.json");
    Path log = dir.resolve("envoy.log");
    String nodeId = "envoy-" + UUID.randomUUID();
    Files.writeString(bootstrap, Json.MAPPER.writeValueAsString(
        EnvoySidecarTest.bootstrap(nodeId, mesh.xdsPort(), admin, Mesh.AGENT_A)));
    Process process = new ProcessBuilder(Prerequisites.envoy().toString(), "-c", bootstrap.toString(),
        "--base-id", Integer.toString(ThreadLocalRandom.current().nextInt(1_000, 1_000_000)),
        "--concurrency", "1", "--log-level", "info")
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
    return new EnvoySidecar(nodeId, "http://127.0.0.1:" + admin, log, process);
  }

  void awaitReady() {
    Poll.until(WAIT, () -> get(adminUrl + "/ready", Map.of()).map(r -> r.statusCode() == 200).orElse(false),
        () -> "envoy /ready; envoy log:\n" + tail());
  }

  /** The last lines of Envoy's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** A GET with these headers; empty when nothing answered. */
  static Optional<HttpResponse<String>> get(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
    headers.forEach(request::header);
    try {
      return Optional.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

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
}
