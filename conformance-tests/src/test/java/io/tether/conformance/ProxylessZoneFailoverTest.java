package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.tether.registry.testing.Poll;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Zone-aware routing for a stock grpc-java xDS client in zone-a (the agent's proxyless bootstrap with
 * node.locality.zone, README "Zone-aware routing"): zone-aware grpc service {@code echo} has one
 * endpoint in zone-a and one in zone-b, registered with their zones through the REST API. Every call
 * goes to zone-a while its endpoint is HEALTHY; once the registry says UNHEALTHY grpc-java drops it,
 * priority 0 has no endpoint left and every call goes to zone-b; and back. Service {@code spread},
 * not zone-aware, spreads over both zones.
 */
class ProxylessZoneFailoverTest {
  private static final int CALLS = 100;

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final ZoneFailover zones = new ZoneFailover(mesh, "a");
  private static XdsClient client;
  private static ManagedChannel echo;
  private static ManagedChannel spread;

  @BeforeAll
  static void start() {
    mesh.service("a", "echo", 50051, "\"zoneAware\":{\"enabled\":true}");
    mesh.service("a", "spread", 50052, "");
    for (String svc : new String[] {"echo", "spread"}) {
      zones.register(svc, svc + "-a", mesh.backend(svc + "-a").port(), "zone-a");
      zones.register(svc, svc + "-b", mesh.backend(svc + "-b").port(), "zone-b");
    }
    client = XdsClient.inZone(mesh.xdsPort(), "a", Mesh.AGENT_A, "zone-a");
    echo = client.channel("echo:50051");
    spread = client.channel("spread:50052");
    Poll.until(ZoneFailover.WAIT, () -> "echo-a".equals(XdsClient.tryCall(echo, 5_000)), "a first call answered in zone-a");
    Poll.until(ZoneFailover.WAIT, () -> XdsClient.tryCall(spread, 5_000).startsWith("spread-"), "a first spread call");
    zones.awaitEdsAcked(client.nodeId);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
  }

  @BeforeEach
  void zoneAHealthy() {
    assertThat(landings(echo)).as("the starting point").containsExactly(Map.entry("echo-a", CALLS));
  }

  @Test
  void theProxiesApiShowsTheClientsZoneAndNoNack() {
    assertThat(mesh.proxyStream(client.nodeId).path("zone").asText()).isEqualTo("zone-a");
    assertThat(mesh.proxyStream(client.nodeId).path("lastNacks").size()).as("NACKs of %s", client.nodeId).isZero();
  }

  @Test
  void whenItsZoneTurnsUnhealthyEveryCallFailsOverAndComesBack() {
    try {
      zones.setHealth("echo", "echo-a", "UNHEALTHY");
      awaitAnsweredBy("echo-b");
      assertThat(landings(echo)).containsExactly(Map.entry("echo-b", CALLS));
    } finally {
      zones.setHealth("echo", "echo-a", "HEALTHY");
    }
    awaitAnsweredBy("echo-a");
    assertThat(landings(echo)).containsExactly(Map.entry("echo-a", CALLS));
    assertThat(mesh.proxyStream(client.nodeId).path("lastNacks").size()).isZero();
  }

  /**
   * Waits until the client ACKed the assignment it is served now, then until a call is answered by
   * {@code backend}: grpc-java ACKs an assignment before its balancer has switched over (the first run
   * counted 2 of 100 calls to zone-a after the ACK of its UNHEALTHY), and switches back only once priority
   * 0's subchannel is READY again.
   */
  private static void awaitAnsweredBy(String backend) {
    zones.awaitEdsAcked(client.nodeId);
    Poll.until(ZoneFailover.WAIT, () -> backend.equals(XdsClient.tryCall(echo, 5_000)), "a call answered by " + backend);
  }

  @Test
  void aServiceThatIsNotZoneAwareStaysSpreadOverBothZones() {
    Map<String, Integer> counts = landings(spread);
    assertThat(counts.keySet()).containsExactlyInAnyOrder("spread-a", "spread-b");
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(30));
  }

  private static Map<String, Integer> landings(ManagedChannel channel) {
    Map<String, Integer> counts = ZoneFailover.landings(CALLS, () -> XdsClient.tryCall(channel, 5_000));
    System.out.println("[ProxylessZoneFailoverTest] " + channel.authority() + ": " + counts);
    return counts;
  }
}
