package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The test side of the control API ({@link ControlServer}): JSON in and out, an exception for any non-2xx. */
final class ControlClient {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;

  ControlClient(String base) {
    this.base = base;
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  JsonNode post(String path, JsonNode body) {
    try {
      return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(GoJson.MAPPER.writeValueAsBytes(body))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the stand-in answers yet. */
  boolean ready() {
    try {
      get("/control/ready");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Asks the stand-in to shut down; it may be gone already. */
  void shutdown() {
    try {
      post("/control/shutdown", GoJson.object());
    } catch (RuntimeException e) {
      // gone already: the caller removes what it left
    }
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body = r.body().length == 0 ? GoJson.object() : GoJson.MAPPER.readTree(r.body());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(request.build().method() + " " + request.build().uri() + ": " + r.statusCode() + " "
            + body.path("error").asText(body.toString()));
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException("control API at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
