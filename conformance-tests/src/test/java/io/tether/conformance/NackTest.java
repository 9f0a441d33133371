package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Struct;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the server does with clients it cannot or will not serve: invalid nodes are refused with the
 * reason (and operators see it), and a rejected (NACKed) response is recorded and never re-sent until
 * the resource changes, so a client that cannot take a config costs one response, not a resend storm.
 */
class NackTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static Mesh mesh;

  @BeforeAll
  static void start() {
    mesh = new Mesh();
    mesh.service("a", "payments", 8080, "");
    mesh.register("a", "payments", mesh.backend("p1"), "HEALTHY");
    mesh.awaitView();
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  static Stream<Arguments> invalidNodes() {
    return Stream.of(
        Arguments.of("missing namespace", XdsMessages.metadata(null), "node.metadata.namespace is required"),
        Arguments.of("namespace not a DNS label", XdsMessages.metadata("Not_A_Label"),
            "node.metadata.namespace 'Not_A_Label' is not a DNS label"),
        Arguments.of("ingress port 0", XdsMessages.metadata("a", XdsMessages.served("payments", 0, 8080)),
            "node.metadata.services[0].ingressPort must be a port number (1-65535)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNodes")
  void invalidNodeIsRefusedWithItsReasonAndOtherClientsAreUnaffected(String what, Struct metadata, String reason)
      throws Exception {
    try (AdsProbe healthy = probe("healthy-" + UUID.randomUUID(), Mesh.AGENT_A, XdsMessages.metadata("a"));
        AdsProbe invalid = probe("invalid-" + UUID.randomUUID(), Mesh.AGENT_A, metadata)) {
      healthy.subscribe(AdsProbe.EDS, List.of("payments.a"));
      healthy.ack(healthy.next(AdsProbe.EDS, WAIT), List.of("payments.a"));

      invalid.subscribe(AdsProbe.LDS, List.of());
      Status status = invalid.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(status.getCode()).as(what).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).as(what).isEqualTo(reason);
      assertThat(invalid.received(AdsProbe.LDS)).as("responses to a refused node").isZero();

      JsonNode proxies = mesh.api.get("/v1/proxies").expect(200).body();
      assertThat(proxies.path("refused")).as("refused nodes in %s", proxies)
          .anySatisfy(r -> {
            assertThat(r.path("nodeId").asText()).isEqualTo(invalid.node.getId());
            assertThat(r.path("reason").asText()).isEqualTo(reason);
          });
      assertThat(proxies.path("items")).as("connected proxies in %s", proxies)
          .noneSatisfy(i -> assertThat(i.path("stream").path("nodeId").asText()).isEqualTo(invalid.node.getId()));

      // The server is still up and the client already connected still gets its updates.
      mesh.register("a", "payments", mesh.backend("p-" + UUID.randomUUID().toString().substring(0, 8)), "HEALTHY");
      DiscoveryResponse update = healthy.next(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(update)).containsOnlyKeys("payments.a");
      assertThat(healthy.closed).as("the healthy stream").isNotDone();
    }
  }

  @Test
  void tokenOfAnotherNamespaceIsRefusedWithPermissionDenied() throws Exception {
    try (AdsProbe probe = probe("intruder-" + UUID.randomUUID(), Mesh.AGENT_B, XdsMessages.metadata("a"))) {
      probe.subscribe(AdsProbe.EDS, List.of("payments.a"));
      Status status = probe.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(probe.received(AdsProbe.EDS)).isZero();
    }
  }

  @Test
  void nackedAssignmentIsRecordedAndNotResentUntilItsEndpointsChange() {
    try (AdsProbe envoy = probe("nacker-" + UUID.randomUUID(), Mesh.AGENT_A, XdsMessages.metadata("a"))) {
      List<String> names = List.of("payments.a");
      envoy.subscribe(AdsProbe.EDS, names);
      DiscoveryResponse rejected = envoy.next(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(rejected)).containsOnlyKeys("payments.a");

      String error = "conformance: rejecting " + rejected.getVersionInfo();
      envoy.nack(rejected, names, error);

      long recordedMs = Poll.until(WAIT, () -> lastNack(envoy.node.getId()) != null, "the NACK shows in /v1/proxies");
      JsonNode nack = lastNack(envoy.node.getId());
      assertThat(nack.path("version").asText()).isEqualTo(rejected.getVersionInfo());
      assertThat(nack.path("message").asText()).isEqualTo(error);
      assertThat(nack.path("at").asText()).isNotEmpty();

      // No resend storm: the next response is the one to a later change, and the rejected version was sent
      // exactly once. The stream is ordered, so a resend would have arrived before it.
      mesh.register("a", "payments", mesh.backend("p-after-nack"), "HEALTHY");
      DiscoveryResponse changed = envoy.next(AdsProbe.EDS, WAIT);
      assertThat(changed.getVersionInfo()).as("the next EDS response after the NACK (recorded after %d ms)", recordedMs)
          .isNotEqualTo(rejected.getVersionInfo());
      assertThat(envoy.received(AdsProbe.EDS)).as("EDS responses in all: the rejected one, then the change").isEqualTo(2);
      ClusterLoadAssignment cla = (ClusterLoadAssignment) XdsMessages.resources(changed).get("payments.a");
      assertThat(cla).isNotNull();
      assertThat(XdsMessages.endpointCount(cla)).isGreaterThan(XdsMessages.endpointCount(
          (ClusterLoadAssignment) XdsMessages.resources(rejected).get("payments.a")));
      envoy.ack(changed, names);
      Poll.until(WAIT, () -> changed.getVersionInfo().equals(acked(envoy.node.getId(), "EDS")),
          "the ACK of the new version shows in /v1/proxies");

      // One change, one response: a further change is the very next response.
      mesh.register("a", "payments", mesh.backend("p-barrier"), "HEALTHY");
      DiscoveryResponse barrier = envoy.next(AdsProbe.EDS, WAIT);
      assertThat(barrier.getVersionInfo()).as("the response after the change's").isNotEqualTo(changed.getVersionInfo());
      assertThat(XdsMessages.endpointCount((ClusterLoadAssignment) XdsMessages.resources(barrier).get("payments.a")))
          .isEqualTo(XdsMessages.endpointCount(cla) + 1);
      assertThat(envoy.received(AdsProbe.EDS)).as("EDS responses in all: no second response to one change").isEqualTo(3);
      envoy.ack(barrier, names);
    }
  }

  @Test
  void nackedClustersAreNotResentUntilAClusterChanges() {
    mesh.service("a", "ledger", 7070, "");
    mesh.awaitView();
    try (AdsProbe envoy = probe("cds-nacker-" + UUID.randomUUID(), Mesh.AGENT_A, XdsMessages.metadata("a"))) {
      envoy.subscribe(AdsProbe.CDS, List.of());
      DiscoveryResponse rejected = envoy.next(AdsProbe.CDS, WAIT);
      assertThat(XdsMessages.resources(rejected)).containsKeys("payments.a", "ledger.a");
      envoy.nack(rejected, List.of(), "conformance: no clusters today");
      Poll.until(WAIT, () -> nackOf(envoy.node.getId(), "CDS") != null, "the CDS NACK shows in /v1/proxies");
      assertThat(nackOf(envoy.node.getId(), "CDS").path("version").asText()).isEqualTo(rejected.getVersionInfo());

      // Full state: a change of one cluster re-sends every cluster, with the new version; and it is the next
      // CDS response (the stream is ordered: a resend after the NACK would have arrived before it).
      mesh.service("a", "ledger", 7070, "\"loadBalancing\":\"LEAST_REQUEST\"");
      DiscoveryResponse changed = envoy.next(AdsProbe.CDS, WAIT);
      assertThat(changed.getVersionInfo()).isNotEqualTo(rejected.getVersionInfo());
      assertThat(envoy.received(AdsProbe.CDS)).as("CDS responses in all: the rejected one, then the change").isEqualTo(2);
      assertThat(XdsMessages.resources(changed)).containsKeys("payments.a", "ledger.a");
      assertThat(XdsMessages.resources(changed).get("ledger.a")).isNotEqualTo(XdsMessages.resources(rejected).get("ledger.a"));
    }
  }

  @Test
  void deltaNackedAssignmentIsNotResentUntilItsEndpointsChange() {
    try (AdsProbe envoy = probe("delta-nacker-" + UUID.randomUUID(), Mesh.AGENT_A, XdsMessages.metadata("a"))) {
      envoy.sendDelta(AdsProbe.EDS, List.of("payments.a"), List.of(), "", null);
      DeltaDiscoveryResponse rejected = envoy.nextDelta(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(rejected)).containsOnlyKeys("payments.a");
      envoy.sendDelta(AdsProbe.EDS, List.of(), List.of(), rejected.getNonce(), "conformance: delta rejection");
      Poll.until(WAIT, () -> lastNack(envoy.node.getId()) != null, "the delta NACK shows in /v1/proxies");
      assertThat(lastNack(envoy.node.getId()).path("message").asText()).isEqualTo("conformance: delta rejection");

      // The next delta response is the one to a later change: a resend would have arrived before it.
      mesh.register("a", "payments", mesh.backend("p-after-delta-nack"), "HEALTHY");
      DeltaDiscoveryResponse changed = envoy.nextDelta(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(changed)).containsOnlyKeys("payments.a");
      assertThat(changed.getResources(0).getVersion()).as("the next delta response after the NACK")
          .isNotEqualTo(rejected.getResources(0).getVersion());
      envoy.deltaAck(changed);

      // One change, one response: a further change is the very next delta response.
      mesh.register("a", "payments", mesh.backend("p-delta-barrier"), "HEALTHY");
      DeltaDiscoveryResponse barrier = envoy.nextDelta(AdsProbe.EDS, WAIT);
      assertThat(XdsMessages.resources(barrier)).containsOnlyKeys("payments.a");
      assertThat(barrier.getResources(0).getVersion()).as("the delta response after the change's")
          .isNotEqualTo(changed.getResources(0).getVersion());
      assertThat(XdsMessages.endpointCount((ClusterLoadAssignment) XdsMessages.resources(barrier).get("payments.a")))
          .isEqualTo(XdsMessages.endpointCount((ClusterLoadAssignment) XdsMessages.resources(changed).get("payments.a")) + 1);
      envoy.deltaAck(barrier);
    }
  }

  private static AdsProbe probe(String nodeId, String token, Struct metadata) {
    return new AdsProbe(mesh.xdsPort(), token, XdsMessages.node(nodeId, AdsProbe.ENVOY, metadata));
  }

  private static JsonNode lastNack(String nodeId) {
    return nackOf(nodeId, "EDS");
  }

  private static JsonNode nackOf(String nodeId, String type) {
    JsonNode s = mesh.proxyStream(nodeId);
    return s == null || !s.path("lastNacks").has(type) ? null : s.path("lastNacks").path(type);
  }

  private static String acked(String nodeId, String type) {
    JsonNode s = mesh.proxyStream(nodeId);
    return s == null ? null : s.path("ackedVersions").path(type).asText(null);
  }
}
