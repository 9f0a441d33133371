package io.tether.agent.relay;

import io.tether.client.ServerCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a relayed request to the control plane as the host: the caller's method, target, body and the
 * few headers the API reads ({@link #REQUEST_HEADERS}), with the host's bearer token instead of any
 * the caller sent, and brings back the status, body and the headers the API answers with. Thread-safe
 * (the JDK client is); each call blocks its thread until the answer or the timeout.
 */
final class RestForwarder {
  /** The request headers the registry API reads; Authorization is never among them. */
  static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "If-Match", "If-None-Match");
  /** The response headers the registry API sets. */
  static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "ETag", "Allow", "Retry-After", "Location");

  /** The control plane's answer. */
  record Answer(int status, Map<String, String> headers, byte[] body) {}

  private final String base;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;

  /** @param serverCa the CA an https control plane's certificate is trusted by; null for the JVM's CAs */
  RestForwarder(URI controlPlane, Path serverCa, String token, Duration connectTimeout, Duration timeout) {
    String text = controlPlane.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.token = token;
    this.timeout = timeout;
    // HTTP/1.1: no h2c upgrade is offered to the API (the agent's RegistryClient does the same).
    HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout);
    if (serverCa != null) {
      http.sslContext(ServerCa.load("serverCa", serverCa)); // the host config's field: checked at load already
    }
    this.http = http.build();
  }

  String base() {
    return base;
  }

  /**
   * @throws java.net.http.HttpTimeoutException when the control plane did not answer in time
   * @throws IOException when it could not be reached
   */
  Answer forward(RelayedRequest request) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body = request.body().length == 0
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body());
    HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(base + request.target())).timeout(timeout)
        .method(request.method(), body)
        .header("Authorization", "Bearer " + token);
    request.headers().forEach(out::header);
    HttpResponse<byte[]> answer = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : RESPONSE_HEADERS) {
      answer.headers().firstValue(name).ifPresent(value -> headers.put(name, value));
    }
    return new Answer(answer.statusCode(), headers, answer.body());
  }
}
