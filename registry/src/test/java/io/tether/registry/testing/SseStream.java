package io.tether.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HTTP client reading a server-sent event stream ({@code GET /v1/watch}) line by line, as a
 * browser's EventSource would: events and comments are taken with a deadline, never by sleeping.
 */
public final class SseStream implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final String END = "\u0000end";

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final HttpResponse<Stream<String>> response;
  private final CompletableFuture<Void> reader;

  /** One frame: its fields ({@code event}, {@code id}, {@code data}) or, for a comment, {@code comment}. */
  public record Frame(Map<String, String> fields) {
    public String get(String field) {
      return fields.get(field);
    }

    public JsonNode data() {
      return Json.read(fields.get("data").getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class);
    }
  }

  public SseStream(String url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET().header("Accept", "text/event-stream");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    } catch (Exception e) {
      throw new AssertionError("cannot open " + url, e);
    }
    reader = CompletableFuture.runAsync(() -> {
      try {
        response.body().forEach(lines::add);
      } catch (RuntimeException closed) {
        // the stream was closed, by us or by the server
      } finally {
        lines.add(END);
      }
    });
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next frame (an event or a comment), failing after {@code timeout}; null once the stream ended. */
  public Frame next(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> fields = new LinkedHashMap<>();
    while (true) {
      String line;
      try {
        line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
      if (line == null) {
        throw new AssertionError("no complete frame within " + timeout.toMillis() + " ms; so far " + fields);
      }
      if (line == END) {
        return null;
      }
      if (line.isEmpty()) {
        if (!fields.isEmpty()) {
          return new Frame(fields);
        }
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
      fields.merge(name.isEmpty() ? "comment" : name, value, (a, b) -> a + "\n" + b);
    }
  }

  /** The next {@code change} event, skipping comments. */
  public Frame nextChange(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Frame f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (f == null) {
        throw new AssertionError("the stream ended before a change arrived");
      }
      if ("change".equals(f.get("event"))) {
        return f;
      }
    }
  }

  @Override
  public void close() {
    response.body().close();
    reader.cancel(true);
  }
}
