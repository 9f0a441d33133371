package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The operator CLI's HTTP client: one call per command, errors turned into {@link CliException}. */
final class RestClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String token;

  RestClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A successful answer: its body and its {@code ETag} (null when it has none). */
  record Answer(JsonNode body, String etag) {}

  JsonNode get(String path) {
    return call("GET", path, null, null, null).body();
  }

  Answer getVersioned(String path) {
    return call("GET", path, null, null, null);
  }

  JsonNode put(String path, byte[] body) {
    return call("PUT", path, body, null, null).body();
  }

  /** A conditional PUT: {@code If-Match: etag}, or create-only ({@code If-None-Match: *}) when etag is null. */
  JsonNode putIf(String path, byte[] body, String etag) {
    return etag == null ? call("PUT", path, body, "If-None-Match", "*").body() : call("PUT", path, body, "If-Match", etag).body();
  }

  JsonNode delete(String path) {
    return call("DELETE", path, null, null, null).body();
  }

  private Answer call(String method, String path, byte[] body, String header, String value) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (header != null) {
      request.header(header, value);
    }
    try {
      HttpResponse<byte[]> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = r.body().length == 0 ? null : Json.MAPPER.readTree(r.body());
      if (r.statusCode() >= 400) {
        throw CliException.fromApi(r.statusCode(), json);
      }
      return new Answer(json, r.headers().firstValue("ETag").orElse(null));
    } catch (ConnectException e) {
      throw new CliException("cannot reach the Tether API at " + base + " (is `./tether server` running?)");
    } catch (IOException e) {
      throw new CliException(method + " " + base + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
