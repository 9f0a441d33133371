package io.tether.agent.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The host agent ({@code tether agent host}) of the container instance, as a task sees it: where it
 * is, and what {@code GET /tether/host} says of the host (docs/ecs.md, "Host agent").
 */
public final class HostAgent {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the host agent says of its host.
   *
   * @param address where other hosts reach this host's tasks
   * @param zone the host's zone, or null
   * @param xdsPort the host agent's ADS relay, on the same address as its API
   */
  public record HostInfo(String namespace, String address, String zone, int xdsPort) {}

  private final HostPort address;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT).build();

  public HostAgent(HostPort address) {
    this.address = address;
  }

  /** Where the task reaches the host agent: its REST relay is {@code http://ADDRESS/v1/…}. */
  public HostPort address() {
    return address;
  }

  public URI restApi() {
    return URI.create("http://" + address);
  }

  /** {@code GET /tether/host}. @throws IOException when it does not answer, or not with a host */
  public HostInfo host() throws IOException, InterruptedException {
    URI uri = URI.create(restApi() + "/tether/host");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body().strip());
    }
    JsonNode body = JSON.readTree(response.body());
    String namespace = body.path("namespace").asText("");
    String hostAddress = body.path("address").asText("");
    int xdsPort = body.path("xdsPort").asInt(0);
    if (namespace.isEmpty() || hostAddress.isEmpty() || xdsPort < 1 || xdsPort > 65535) {
      throw new IOException("GET " + uri + " answered without a namespace, an address and an xdsPort: " + response.body());
    }
    String zone = body.path("zone").asText("");
    return new HostInfo(namespace, hostAddress, zone.isEmpty() ? null : zone, xdsPort);
  }
}
