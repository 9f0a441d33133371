package io.tether.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The registry's and the xDS server's side of a zone failover test (README "Zone-aware routing"):
 * endpoints registered in a zone, their health set through the REST API, and the wait, without sleeps,
 * until a client ACKed the assignments its group is served now.
 */
final class ZoneFailover {
  static final Duration WAIT = Duration.ofSeconds(20);
  private final Mesh mesh;
  private final String ns;

  ZoneFailover(Mesh mesh, String ns) {
    this.mesh = mesh;
    this.ns = ns;
  }

  /** Registers endpoint {@code id} of {@code svc} on 127.0.0.1:{@code port} in {@code zone}, HEALTHY. */
  void register(String svc, String id, int port, String zone) {
    mesh.api.put(endpoint(svc, id), "{\"address\":\"127.0.0.1\",\"port\":" + port + ",\"zone\":\"" + zone
        + "\",\"health\":\"HEALTHY\"}").expect(201);
  }

  /** Sets an endpoint's health and waits until the registry answers it. */
  void setHealth(String svc, String id, String health) {
    mesh.api.put(endpoint(svc, id) + "/health", "{\"health\":\"" + health + "\"}").expect(200);
    Poll.until(WAIT, () -> health.equals(mesh.api.get(endpoint(svc, id)).expect(200).body().path("health").asText()),
        () -> "the registry answers " + svc + "/" + id + " " + health);
  }

  /** Waits until node {@code nodeId} ACKed the EDS version its group is served now. */
  void awaitEdsAcked(String nodeId) {
    awaitEdsAckedOtherThan(nodeId, null);
  }

  /**
   * Sets an endpoint's health and waits until node {@code nodeId} ACKed the assignment rendered from it (the
   * version served before the write may still be served, and ACKed, for a moment after it).
   */
  void setHealthAndAwaitAck(String svc, String id, String health, String nodeId) {
    String before = servedEdsVersion(nodeId);
    setHealth(svc, id, health);
    awaitEdsAckedOtherThan(nodeId, before);
  }

  private void awaitEdsAckedOtherThan(String nodeId, String before) {
    Poll.until(WAIT, () -> {
      String served = servedEdsVersion(nodeId);
      JsonNode stream = mesh.proxyStream(nodeId);
      return served != null && !served.equals(before) && stream != null
          && served.equals(stream.path("ackedVersions").path("EDS").asText());
    }, () -> nodeId + " ACKed EDS version " + servedEdsVersion(nodeId) + " (not " + before + "); its stream: "
        + mesh.proxyStream(nodeId));
  }

  /** {@code n} calls: how many each answer got. */
  static Map<String, Integer> landings(int n, Supplier<String> call) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(call.get(), 1, Integer::sum);
    }
    return counts;
  }

  private String servedEdsVersion(String nodeId) {
    return AckedVersions.served(mesh, ns, nodeId, ResourceType.ENDPOINT);
  }

  private String endpoint(String svc, String id) {
    return "/v1/namespaces/" + ns + "/services/" + svc + "/endpoints/" + id;
  }
}
