package io.tether.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.ApiException;
import io.tether.client.ApiResponse;
import io.tether.client.TetherClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The tests' view of the REST API, speaking as one token: requests go out exactly as given (through
 * {@link TetherClient#exchange}), and every answer comes back to be asserted on, refusals included.
 */
public final class ApiClient {
  private final TetherClient client;

  public ApiClient(String base, String token) {
    this(TetherClient.builder(base).token(token).connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(10)).build());
  }

  private ApiClient(TetherClient client) {
    this.client = client;
  }

  public ApiClient as(String otherToken) {
    return new ApiClient(client.withToken(otherToken));
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
    ApiResponse r;
    try {
      r = client.exchange(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    } catch (ApiException e) {
      throw e.interrupted() ? new IllegalStateException(e.getCause())
          : new IllegalStateException(method + " " + path + " failed: " + e.getCause(), e.getCause());
    }
    if (r.notJson() != null) {
      throw new IllegalStateException(method + " " + path + " failed: " + r.notJson());
    }
    return new Response(r.status(), r.raw().length == 0 ? null : r.json(), r.etag(), r.text());
  }
}
