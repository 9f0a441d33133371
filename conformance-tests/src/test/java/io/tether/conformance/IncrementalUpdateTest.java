package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cost of an update grows with what changed, not with the mesh: with ten services subscribed, one
 * service's endpoint change sends one ClusterLoadAssignment, over state-of-the-world and delta xDS
 * alike, and a deleted service shows as a removal over delta.
 */
class IncrementalUpdateTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int SERVICES = 10;
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void sotwEndpointChangeOfOneServiceSendsOnlyThatServicesAssignment() {
    List<String> clusters = tenServices("sotw");
    try (AdsProbe envoy = new AdsProbe(mesh.xdsPort(), Mesh.ADMIN,
        XdsMessages.node("sotw-" + UUID.randomUUID(), AdsProbe.ENVOY, XdsMessages.metadata("sotw")))) {
      envoy.subscribe(AdsProbe.EDS, clusters);
      DiscoveryResponse initial = envoy.next(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(initial).keySet()).containsExactlyInAnyOrderElementsOf(clusters);
      envoy.ack(initial, clusters);

      long start = System.nanoTime();
      endpoint("sotw", "svc3", "extra", 2);
      DiscoveryResponse update = envoy.next(AdsProbe.EDS, WAIT);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(XdsMessages.resources(update)).as("resources of the update (after %d ms)", ms)
          .containsOnlyKeys("svc3.sotw");
      assertThat(XdsMessages.endpointCount((ClusterLoadAssignment) XdsMessages.resources(update).get("svc3.sotw")))
          .isEqualTo(2);
      assertThat(update.getVersionInfo()).isNotEqualTo(initial.getVersionInfo());
      envoy.ack(update, clusters);
      barrier(envoy, "sotw", clusters);
      System.out.printf("sotw: one endpoint change -> one CLA after %d ms%n", ms);
    }
  }

  @Test
  void deltaEndpointChangeSendsOneResourceAndServiceDeletionRemovesIt() {
    List<String> clusters = tenServices("delta");
    try (AdsProbe envoy = new AdsProbe(mesh.xdsPort(), Mesh.ADMIN,
        XdsMessages.node("delta-" + UUID.randomUUID(), AdsProbe.ENVOY, XdsMessages.metadata("delta")))) {
      envoy.sendDelta(AdsProbe.EDS, clusters, List.of(), "", null);
      DeltaDiscoveryResponse initial = envoy.nextDelta(AdsProbe.EDS, WAIT);
      assertThat(initial.getTypeUrl()).isEqualTo(AdsProbe.EDS);
      assertThat(XdsMessages.resources(initial).keySet()).containsExactlyInAnyOrderElementsOf(clusters);
      assertThat(initial.getRemovedResourcesList()).isEmpty();
      envoy.deltaAck(initial);

      long start = System.nanoTime();
      endpoint("delta", "svc3", "extra", 2);
      DeltaDiscoveryResponse changed = envoy.nextDelta(AdsProbe.EDS, WAIT);
      long changeMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(XdsMessages.resources(changed)).as("resources after an endpoint change").containsOnlyKeys("svc3.delta");
      assertThat(XdsMessages.endpointCount((ClusterLoadAssignment) XdsMessages.resources(changed).get("svc3.delta")))
          .isEqualTo(2);
      assertThat(changed.getRemovedResourcesList()).isEmpty();
      assertThat(changed.getResources(0).getVersion()).isNotEqualTo(initial.getResourcesList().stream()
          .filter(r -> r.getName().equals("svc3.delta")).findFirst().orElseThrow().getVersion());
      envoy.deltaAck(changed);

      start = System.nanoTime();
      mesh.api.delete("/v1/namespaces/delta/services/svc7").expect(204);
      DeltaDiscoveryResponse removed = envoy.nextDelta(AdsProbe.EDS, WAIT);
      long removeMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(removed.getRemovedResourcesList()).as("removed after a service deletion").containsExactly("svc7.delta");
      assertThat(removed.getResourcesList()).isEmpty();
      envoy.deltaAck(removed);
      deltaBarrier(envoy, "delta");
      System.out.printf("delta: endpoint change -> 1 resource after %d ms; deletion -> removal after %d ms%n",
          changeMs, removeMs);
    }
  }

  /*
   * Envoy re-warms a cluster it is sent again with a change and waits for that cluster's
   * ClusterLoadAssignment ("resource warming" in the xDS protocol); it does not ask for it again. Without
   * it the update stalls until the initial fetch timeout (15 s), and Envoys without the EDS cache then
   * run the cluster with no endpoints. So a changed cluster is followed by its assignment: that one only.
   */

  @Test
  void sotwUpdatedClusterIsFollowedByItsAssignmentAndOnlyThatOne() {
    List<String> clusters = tenServices("warm");
    try (AdsProbe envoy = new AdsProbe(mesh.xdsPort(), Mesh.ADMIN,
        XdsMessages.node("warm-" + UUID.randomUUID(), AdsProbe.ENVOY, XdsMessages.metadata("warm")))) {
      envoy.subscribe(AdsProbe.CDS, List.of());
      envoy.subscribe(AdsProbe.EDS, clusters);
      DiscoveryResponse cds = envoy.next(AdsProbe.CDS, WAIT);
      envoy.ack(cds, List.of());
      DiscoveryResponse eds = envoy.next(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(eds).keySet()).containsExactlyInAnyOrderElementsOf(clusters);
      envoy.ack(eds, clusters);

      mesh.service("warm", "svc5", 9005, "\"loadBalancing\":\"LEAST_REQUEST\"");
      DiscoveryResponse updated = envoy.next(AdsProbe.CDS, WAIT);
      assertThat(XdsMessages.resources(updated).get("svc5.warm")).isNotEqualTo(XdsMessages.resources(cds).get("svc5.warm"));
      envoy.ack(updated, List.of());
      DiscoveryResponse again = envoy.next(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(again)).containsOnlyKeys("svc5.warm");
      assertThat(XdsMessages.resources(again).get("svc5.warm")).isEqualTo(XdsMessages.resources(eds).get("svc5.warm"));
      envoy.ack(again, clusters);
      barrier(envoy, "warm", clusters);
    }
  }

  @Test
  void deltaUpdatedClusterIsFollowedByItsAssignmentAndOnlyThatOne() {
    List<String> clusters = tenServices("dwarm");
    try (AdsProbe envoy = new AdsProbe(mesh.xdsPort(), Mesh.ADMIN,
        XdsMessages.node("dwarm-" + UUID.randomUUID(), AdsProbe.ENVOY, XdsMessages.metadata("dwarm")))) {
      envoy.sendDelta(AdsProbe.CDS, List.of(), List.of(), "", null);
      envoy.sendDelta(AdsProbe.EDS, clusters, List.of(), "", null);
      DeltaDiscoveryResponse cds = envoy.nextDelta(AdsProbe.CDS, WAIT);
      assertThat(XdsMessages.resources(cds).keySet()).containsExactlyInAnyOrderElementsOf(clusters);
      envoy.deltaAck(cds);
      DeltaDiscoveryResponse eds = envoy.nextDelta(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(eds).keySet()).containsExactlyInAnyOrderElementsOf(clusters);
      envoy.deltaAck(eds);

      mesh.service("dwarm", "svc5", 9005, "\"loadBalancing\":\"LEAST_REQUEST\"");
      DeltaDiscoveryResponse updated = envoy.nextDelta(AdsProbe.CDS, WAIT);
      assertThat(XdsMessages.resources(updated)).containsOnlyKeys("svc5.dwarm");
      envoy.deltaAck(updated);
      DeltaDiscoveryResponse again = envoy.nextDelta(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(again)).containsOnlyKeys("svc5.dwarm");
      assertThat(XdsMessages.resources(again).get("svc5.dwarm")).isEqualTo(XdsMessages.resources(eds).get("svc5.dwarm"));
      envoy.deltaAck(again);
      deltaBarrier(envoy, "dwarm");
    }
  }

  /*
   * "Nothing further was sent" is proven with a barrier, not a wait: a later, unrelated change (an
   * endpoint of svc8) must be the very next EDS response. The stream is ordered, so a further response
   * to the change under test would have arrived before it.
   */

  private static void barrier(AdsProbe envoy, String ns, List<String> clusters) {
    endpoint(ns, "svc8", "barrier", 3);
    DiscoveryResponse next = envoy.next(AdsProbe.EDS, WAIT);
    assertThat(XdsMessages.resources(next)).as("the next EDS response: the barrier, nothing before it; queued: %s",
        envoy.pending()).containsOnlyKeys("svc8." + ns);
    envoy.ack(next, clusters);
  }

  private static void deltaBarrier(AdsProbe envoy, String ns) {
    endpoint(ns, "svc8", "barrier", 3);
    DeltaDiscoveryResponse next = envoy.nextDelta(AdsProbe.EDS, WAIT);
    assertThat(XdsMessages.resources(next)).as("the next delta EDS response: the barrier, nothing before it; queued: %s",
        envoy.pending()).containsOnlyKeys("svc8." + ns);
    assertThat(next.getRemovedResourcesList()).isEmpty();
    envoy.deltaAck(next);
  }

  /** Ten grpc services in the namespace, each with one endpoint; returns their cluster names. */
  private static List<String> tenServices(String ns) {
    List<String> clusters = new ArrayList<>();
    IntStream.range(0, SERVICES).forEach(i -> {
      mesh.service(ns, "svc" + i, 9000 + i, "");
      endpoint(ns, "svc" + i, "e0", 1);
      clusters.add("svc" + i + "." + ns);
    });
    mesh.awaitView();
    return clusters;
  }

  private static void endpoint(String ns, String svc, String id, int n) {
    mesh.api.put("/v1/namespaces/" + ns + "/services/" + svc + "/endpoints/" + id,
        "{\"address\":\"10.0.0." + n + "\",\"port\":7000,\"health\":\"HEALTHY\"}").expect(201);
  }
}
