package io.tether.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.envoy.EnvoyAdmin;
import io.tether.registry.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's own answers over real HTTP, where no Envoy answers (its figures against a real Envoy:
 * ServiceConnectMetricsEnvoyTest): a clear 503 while Envoy's admin is down, 404 and 405 off its one
 * route, and what a taken port does.
 */
class MetricsEndpointTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ServiceConnectMetrics.Task TASK = new ServiceConnectMetrics.Task("prod", "pay", Set.of());
  private final EnvoyAdmin noEnvoy = new EnvoyAdmin(Ports.free());
  private MetricsEndpoint endpoint;

  @AfterEach
  void close() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aScrapeWhileEnvoysAdminIsDownIs503SayingSo() throws Exception {
    endpoint = MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", Ports.free(), true), noEnvoy, TASK);
    HttpResponse<String> r = send("GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).startsWith("Envoy's admin on " + noEnvoy.address() + " did not answer");
  }

  @Test
  void onlyGetMetricsIsServed() throws Exception {
    endpoint = MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", Ports.free(), true), noEnvoy, TASK);
    assertThat(send("GET", "/").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metrics/x").statusCode()).isEqualTo(404);
    HttpResponse<String> post = send("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void portZeroServesNothing() {
    assertThat(MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", 0, true), noEnvoy, TASK)).isNull();
  }

  @Test
  void aGivenPortTakenFailsTheTaskAndTheDefaultOneTakenOnlyCostsItsMetrics() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", port, true), noEnvoy, TASK))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("the metrics port 127.0.0.1:" + port + " is taken")
          .hasMessageEndingWith(": give another --metrics-port, or 0 for none");
      assertThat(MetricsEndpoint.start(new MetricsEndpoint.Settings("127.0.0.1", port, false), noEnvoy, TASK)).isNull();
    }
  }
}
