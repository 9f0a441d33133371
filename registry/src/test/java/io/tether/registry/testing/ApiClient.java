package io.tether.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for the REST API, speaking as one token. */
public final class ApiClient {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String token;

  public ApiClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public ApiClient as(String otherToken) {
    return new ApiClient(base, otherToken);
  }

  /** A response: status, parsed JSON body (or null), and the ETag header (or null). */
  public record Response(int status, JsonNode body, String etag, String raw) {
    /** Asserts the status (showing the whole response when it differs) and returns this response. */
    public Response expect(int expectedStatus) {
      org.assertj.core.api.Assertions.assertThat(status).as(toString()).isEqualTo(expectedStatus);
      return this;
    }

    public String errorCode() {
      return body == null ? null : body.path("error").path("code").asText(null);
    }

    public String errorField() {
      return body == null ? null : body.path("error").path("field").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + raw;
    }
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response put(String path, String json, String... headers) {
    return send("PUT", path, json, headers);
  }

  public Response post(String path, String json) {
    return send("POST", path, json);
  }

  public Response delete(String path, String... headers) {
    return send("DELETE", path, null, headers);
  }

  public Response send(String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
      return new Response(r.statusCode(), json, r.headers().firstValue("ETag").orElse(null), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
