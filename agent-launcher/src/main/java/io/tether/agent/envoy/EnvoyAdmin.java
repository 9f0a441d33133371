package io.tether.agent.envoy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Envoy's admin interface on 127.0.0.1: readiness, stats, failing health checks, draining listeners, quitting. */
public final class EnvoyAdmin {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final String base;

  public EnvoyAdmin(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** True when Envoy answers /ready with 200 (initialised: listeners and clusters warmed). */
  public boolean ready() {
    try {
      return HTTP.send(request("/ready").GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The body of a GET of an admin path with its query ({@code /stats?format=json}); an IOException when
   * Envoy does not answer, or answers other than 200.
   */
  public String get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Envoy's admin answered " + pathAndQuery + " with " + response.statusCode());
    }
    return response.body();
  }

  /** Where the admin interface is, for messages: {@code 127.0.0.1:9901}. */
  public String address() {
    return base.substring("http://".length());
  }

  /** Fails Envoy's own health checks, so that load balancers in front of it stop choosing it. */
  public void failHealthChecks() {
    post("/healthcheck/fail");
  }

  /** Drains every listener gracefully: new connections are refused after the drain time, open ones finish. */
  public void drainListeners() {
    post("/drain_listeners?graceful");
  }

  /** Asks Envoy to exit. */
  public void quit() {
    post("/quitquitquit");
  }

  private void post(String path) {
    try {
      HTTP.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // Envoy is gone already; the caller's next step copes with that
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(2));
  }
}
