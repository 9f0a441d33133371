package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ClusterLoadAssignment of a zone-aware service (README "Zone-aware routing") with two endpoints in
 * zone-a (one UNHEALTHY), one in zone-b and one without a zone, as a caller in zone-a, in zone-b, in a
 * zone with no endpoint (zone-c) and without a zone gets it, against reviewed files under
 * {@code golden/zones/}. Update as {@link GoldenFilesTest} says.
 */
class ZoneGoldenFilesTest {
  private static final Map<String, Endpoint> ENDPOINTS = Map.of(
      "web-a1", endpoint("10.0.1.10", "zone-a", Health.HEALTHY),
      "web-a2", endpoint("10.0.1.11", "zone-a", Health.UNHEALTHY),
      "web-b1", endpoint("10.0.2.10", "zone-b", Health.HEALTHY),
      "web-x1", endpoint("10.0.3.10", null, Health.HEALTHY));

  static Map<String, Message> cases() {
    Map<String, Message> out = new LinkedHashMap<>();
    out.put("eds.web.prod.caller-zone-a", assignment("zone-a"));
    out.put("eds.web.prod.caller-zone-b", assignment("zone-b"));
    out.put("eds.web.prod.caller-without-zone", assignment(null));
    return out;
  }

  @Test
  void zonesMatchTheReviewedGoldenFiles() throws Exception {
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("zones"), cases());
  }

  @Test
  void everyCasePassesEnvoysValidateRulesAndUsesNoDeprecatedField() throws Exception {
    GoldenFilesTest.assertValidAndCurrent(cases());
  }

  @Test
  void theCallersZoneIsPriorityZeroAndEveryOtherLocalityPriorityOne() {
    assertThat(priorities(assignment("zone-a"))).containsExactly(Map.entry("", 1), Map.entry("zone-a", 0),
        Map.entry("zone-b", 1));
    assertThat(priorities(assignment("zone-b"))).containsExactly(Map.entry("", 1), Map.entry("zone-a", 1),
        Map.entry("zone-b", 0));
  }

  @Test
  void aZoneWithoutEndpointsOrNoZoneIsTheZonelessAssignmentWithOnePriority() {
    ClusterLoadAssignment zoneless = assignment(null);
    assertThat(assignment("zone-c")).as("a priority 1 without a priority 0 is sparse: grpc-java NACKs it")
        .isEqualTo(zoneless);
    assertThat(zoneless).isEqualTo(MeshRenderer.endpoints(MeshFixture.NS, "web", ENDPOINTS));
    assertThat(priorities(zoneless).values()).containsOnly(0);
  }

  private static Map<String, Integer> priorities(ClusterLoadAssignment cla) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (LocalityLbEndpoints l : cla.getEndpointsList()) {
      out.put(l.getLocality().getZone(), l.getPriority());
    }
    return out;
  }

  private static ClusterLoadAssignment assignment(String callerZone) {
    return MeshRenderer.endpoints(MeshFixture.NS, "web", ENDPOINTS, callerZone);
  }

  private static Endpoint endpoint(String address, String zone, Health health) {
    return new Endpoint(address, 15000, zone, health, null, null, Map.of(), null);
  }
}
