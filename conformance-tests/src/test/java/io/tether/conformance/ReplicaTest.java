package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.main.TetherServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas are interchangeable: two replicas on one etcd serve identical versions and resources for
 * identical state, so a proxy that moves from one to the other with the version it holds gets no
 * spurious update, and still gets the next real one.
 */
class ReplicaTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Map<String, List<String>> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put(AdsProbe.LDS, List.of());
    NAMES.put(AdsProbe.RDS, List.of("orders:9090", "payments:8080"));
    NAMES.put(AdsProbe.CDS, List.of());
    NAMES.put(AdsProbe.EDS, List.of("orders.a", "payments.a"));
  }

  private static Mesh mesh;
  private static TetherServer replica2;

  @BeforeAll
  static void start() {
    mesh = new Mesh();
    replica2 = Mesh.startReplica(mesh.etcdUrl, mesh.prefix, 0, "replica-2");
    mesh.service("a", "payments", 8080, "");
    mesh.service("a", "orders", 9090, "");
    mesh.register("a", "payments", mesh.backend("p1"), "HEALTHY");
    mesh.register("a", "orders", mesh.backend("o1"), "HEALTHY");
  }

  @AfterAll
  static void stop() {
    replica2.close();
    mesh.close();
  }

  @Test
  void replicasServeIdenticalVersionsAndAReconnectingProxyGetsNoSpuriousUpdate() {
    awaitSameRevision();
    String nodeId = "mover-" + UUID.randomUUID();
    Map<String, DiscoveryResponse> fromReplica1;
    try (AdsProbe one = probe(mesh.xdsPort(), nodeId);
        AdsProbe two = probe(replica2.xds().port(), "other-" + UUID.randomUUID())) {
      fromReplica1 = subscribeAndAckAll(one);
      Map<String, DiscoveryResponse> fromReplica2 = subscribeAndAckAll(two);
      for (String type : AdsProbe.TYPES) {
        String t = XdsMessages.shortType(type);
        assertThat(fromReplica2.get(type).getVersionInfo()).as("%s version_info on replica 2", t)
            .isEqualTo(fromReplica1.get(type).getVersionInfo());
        Map<String, Message> r1 = XdsMessages.resources(fromReplica1.get(type));
        assertThat(r1).as("%s resources", t).isNotEmpty();
        assertThat(XdsMessages.resources(fromReplica2.get(type))).as("%s resources on replica 2", t).isEqualTo(r1);
      }
    } // replica 1's stream ends, as when its replica goes away

    try (AdsProbe moved = probe(replica2.xds().port(), nodeId)) {
      for (String type : AdsProbe.TYPES) {
        moved.send(type, fromReplica1.get(type).getVersionInfo(), "", NAMES.get(type), null);
      }
      Poll.until(WAIT, () -> fromReplica1.get(AdsProbe.EDS).getVersionInfo()
          .equals(ackedOnReplica2(nodeId, "EDS")), "replica 2 reports the version the proxy holds as ACKed");

      // What replica 2 says it serves this proxy is what the proxy holds.
      JsonNode config = replica2Api().get("/v1/proxies/" + nodeId + "/config").expect(200).body().path("resources");
      Map<String, String> typeNames = Map.of(AdsProbe.LDS, "LISTENER", AdsProbe.RDS, "ROUTE", AdsProbe.CDS, "CLUSTER",
          AdsProbe.EDS, "ENDPOINT");
      for (String type : AdsProbe.TYPES) {
        List<String> served = new ArrayList<>();
        config.path(typeNames.get(type)).fieldNames().forEachRemaining(served::add);
        assertThat(served).as("%s in /v1/proxies/%s/config", XdsMessages.shortType(type), nodeId)
            .containsExactlyInAnyOrderElementsOf(XdsMessages.resources(fromReplica1.get(type)).keySet());
      }

      // An endpoint change: its EDS response is the first response of any type on this stream (the stream
      // is ordered, so a spurious response to the versions the proxy holds would have arrived before it).
      mesh.register("a", "payments", mesh.backend("p2"), "HEALTHY");
      DiscoveryResponse eds = moved.next(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(eds)).containsOnlyKeys("payments.a");
      assertThat(eds.getVersionInfo()).isNotEqualTo(fromReplica1.get(AdsProbe.EDS).getVersionInfo());
      for (String type : AdsProbe.TYPES) {
        assertThat(moved.received(type)).as("%s responses to a proxy that holds the current version: %s",
            XdsMessages.shortType(type), moved.pending()).isEqualTo(type.equals(AdsProbe.EDS) ? 1 : 0);
      }
      moved.ack(eds, NAMES.get(AdsProbe.EDS));

      // One EDS response with that assignment, nothing for the other types: a second endpoint change is the
      // next response of any type.
      mesh.register("a", "payments", mesh.backend("p3"), "HEALTHY");
      DiscoveryResponse barrier = moved.next(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(barrier)).containsOnlyKeys("payments.a");
      assertThat(barrier.getVersionInfo()).isNotEqualTo(eds.getVersionInfo());
      assertThat(moved.received(AdsProbe.EDS)).as("EDS responses: one per endpoint change").isEqualTo(2);
      assertThat(moved.received(AdsProbe.LDS) + moved.received(AdsProbe.RDS) + moved.received(AdsProbe.CDS))
          .as("non-EDS responses to an endpoint change: %s", moved.pending()).isZero();
      moved.ack(barrier, NAMES.get(AdsProbe.EDS));

      // A policy change of a service: its cluster changes, and CDS (full state) carries both clusters.
      mesh.service("a", "orders", 9090, "\"loadBalancing\":\"LEAST_REQUEST\"");
      DiscoveryResponse cds = moved.next(AdsProbe.CDS, WAIT);
      assertThat(cds.getVersionInfo()).isNotEqualTo(fromReplica1.get(AdsProbe.CDS).getVersionInfo());
      assertThat(XdsMessages.resources(cds)).containsOnlyKeys("orders.a", "payments.a");
      assertThat(XdsMessages.resources(cds).get("orders.a"))
          .isNotEqualTo(XdsMessages.resources(fromReplica1.get(AdsProbe.CDS)).get("orders.a"));
    }
  }

  private static AdsProbe probe(int port, String nodeId) {
    return new AdsProbe(port, Mesh.AGENT_A, XdsMessages.node(nodeId, AdsProbe.ENVOY, XdsMessages.metadata("a")));
  }

  private static Map<String, DiscoveryResponse> subscribeAndAckAll(AdsProbe probe) {
    return probe.subscribeAndAckAll(NAMES, WAIT);
  }

  private static void awaitSameRevision() {
    mesh.awaitView();
    Poll.until(WAIT, () -> replica2.registry().view().current().revision()
        == mesh.server.registry().view().current().revision(), "replica 2's view at replica 1's revision");
  }

  private static ApiClient replica2Api() {
    return new ApiClient("http://127.0.0.1:" + replica2.registry().apiPort(), Mesh.ADMIN);
  }

  private static String ackedOnReplica2(String nodeId, String type) {
    for (JsonNode item : replica2Api().get("/v1/proxies").expect(200).body().path("items")) {
      if (item.path("stream").path("nodeId").asText().equals(nodeId)) {
        assertThat(item.path("replica").asText()).isEqualTo("replica-2");
        return item.path("stream").path("ackedVersions").path(type).asText(null);
      }
    }
    return null;
  }
}
