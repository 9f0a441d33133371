package io.tether.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How {@link TetherClient} sends a request: to its API's URL, as its token, within its request timeout,
 * on its shared HTTP client. {@link TetherClient#call} and {@link TetherClient#exchange} are these.
 */
final class ApiRequests {
  private final String base;
  private final String token;
  private final Duration requestTimeout;
  private final HttpClient http;

  ApiRequests(String base, String token, Duration requestTimeout, HttpClient http) {
    this.base = base;
    this.token = token;
    this.requestTimeout = requestTimeout;
    this.http = http;
  }

  /** The same API and settings, as another token (null: none). */
  ApiRequests withToken(String otherToken) {
    return new ApiRequests(base, otherToken, requestTimeout, http);
  }

  String base() {
    return base;
  }

  HttpClient http() {
    return http;
  }

  /** A request to {@code base + path} within the request timeout, with the token's header if there is one. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  /** See {@link TetherClient#call}. */
  ApiResponse call(String method, String path, byte[] body, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "Accept";
    all[1] = "application/json";
    all[2] = "Content-Type";
    all[3] = "application/json";
    System.arraycopy(headers, 0, all, 4, headers.length);
    ApiResponse response = exchange(method, path, body, all);
    if (!response.isSuccess()) {
      throw ApiException.refused(method, base, path, response);
    }
    return response;
  }

  /** See {@link TetherClient#exchange}. */
  ApiResponse exchange(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder request = request(path)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new ApiResponse(r.statusCode(), r.body(), r.headers().firstValue("ETag").orElse(null));
    } catch (IOException e) {
      throw ApiException.noAnswer(method, base, path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.noAnswer(method, base, path, e);
    }
  }

  /** {@code /v1/a/b/…} with each segment URL-encoded, so that no name can change the path's meaning. */
  static String path(String... segments) {
    StringBuilder b = new StringBuilder("/v1");
    for (String s : segments) {
      b.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8));
    }
    return b.toString();
  }
}
