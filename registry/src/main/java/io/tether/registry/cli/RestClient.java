package io.tether.registry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.json.Json;
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

  JsonNode get(String path) {
    return call("GET", path, null);
  }

  JsonNode put(String path, byte[] body) {
    return call("PUT", path, body);
  }

  JsonNode delete(String path) {
    return call("DELETE", path, null);
  }

  private JsonNode call(String method, String path, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = r.body().length == 0 ? null : Json.MAPPER.readTree(r.body());
      if (r.statusCode() >= 400) {
        throw CliException.fromApi(r.statusCode(), json);
      }
      return json;
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
