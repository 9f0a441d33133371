package io.tether.agent.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Passes when GET path on the app's host answers 2xx within the timeout. Redirects are not followed: 3xx fails. */
final class HttpProbe implements Probe {
  private final HttpClient client;
  private final HttpRequest request;
  private final long timeoutMillis;

  HttpProbe(AppHealthCheck check, String host) {
    // HTTP/1.1 explicitly: for http:// URIs the default (HTTP/2) sends an h2c Upgrade that some apps
    // answer badly, and a health check should ask the plainest question.
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(check.timeout()).build();
    String authority = host.contains(":") ? "[" + host + "]" : host; // an IPv6 literal goes in brackets
    URI uri = URI.create("http://" + authority + ":" + check.port() + check.path());
    this.request = HttpRequest.newBuilder(uri).timeout(check.timeout())
        .header("User-Agent", "tether-agent-health-check").GET().build();
    this.timeoutMillis = check.timeout().toMillis();
  }

  @Override
  public void check() throws IOException, InterruptedException, TimeoutException {
    // The request timeout ends at the response headers; the whole exchange, body included, is bounded here.
    CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    HttpResponse<Void> response;
    try {
      response = exchange.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("GET " + request.uri().getPath() + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new TimeoutException("GET " + request.uri().getPath() + " took longer than " + timeoutMillis + " ms");
    }
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      throw new IOException("GET " + request.uri().getPath() + " answered " + response.statusCode());
    }
  }
}
