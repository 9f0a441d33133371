package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Zone-aware routing through a real Envoy in zone-a (node.locality.zone, README "Zone-aware routing"):
 * zone-aware service {@code web} has one endpoint in zone-a and one in zone-b. Every call goes to zone-a
 * while it is healthy, to zone-b once its endpoint is UNHEALTHY in the registry or ejected by outlier
 * detection (ejected hosts count as unhealthy for Envoy's priority load), and back. Service {@code spread},
 * the same two backends but not zone-aware, spreads over both zones. Retries are off, so every call
 * counted is one Envoy made.
 */
class EnvoyZoneFailoverTest {
  private static final int CALLS = 100;
  private static final int CONSECUTIVE_5XX = 3;
  /** Long enough for the 120 calls counted while the endpoint is ejected (at 2 s it came back among them). */
  private static final int BASE_EJECTION_MS = 8_000;

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final ZoneFailover zones = new ZoneFailover(mesh, "a");
  private static final List<HttpServer> servers = new ArrayList<>();
  private static SwitchableBackend inA;
  private static SwitchableBackend inB;
  private static EnvoyProxy envoy;
  private static final Map<String, String> urls = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
    inA = new SwitchableBackend("web-a", servers);
    inB = new SwitchableBackend("web-b", servers);
    httpService("web", 8080, ",\"zoneAware\":{\"enabled\":true},\"outlierDetection\":{\"consecutive5xx\":"
        + CONSECUTIVE_5XX + ",\"intervalMs\":200,\"baseEjectionTimeMs\":" + BASE_EJECTION_MS
        + ",\"maxEjectionPercent\":100}");
    httpService("spread", 8081, "");
    for (String svc : List.of("web", "spread")) {
      zones.register(svc, svc + "-a", inA.port(), "zone-a");
      zones.register(svc, svc + "-b", inB.port(), "zone-b");
    }
    envoy = EnvoyProxy.inZone(mesh, TestEtcd.tempDir("envoy-zones"), "zone-a");
    Poll.until(ZoneFailover.WAIT, () -> "web-a".equals(call("web", 8080)), () -> "a first call answered in zone-a; "
        + "envoy log:\n" + envoy.tail());
    zones.awaitEdsAcked(envoy.nodeId);
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.close();
    }
    servers.forEach(s -> s.stop(0));
  }

  @BeforeEach
  void bothHealthy() {
    assertThat(landings("web", 8080)).as("the starting point").containsExactly(Map.entry("web-a", CALLS));
  }

  @Test
  void theProxiesApiShowsTheNodesZone() {
    assertThat(mesh.proxyStream(envoy.nodeId).path("zone").asText()).isEqualTo("zone-a");
    assertThat(mesh.proxyStream(envoy.nodeId).path("lastNacks").size()).isZero();
  }

  @Test
  void whenItsZoneTurnsUnhealthyEveryCallFailsOverAndComesBack() {
    try {
      zones.setHealth("web", "web-a", "UNHEALTHY");
      awaitAnsweredBy("web-b");
      assertThat(landings("web", 8080)).containsExactly(Map.entry("web-b", CALLS));
    } finally {
      zones.setHealth("web", "web-a", "HEALTHY");
    }
    awaitAnsweredBy("web-a");
    assertThat(landings("web", 8080)).containsExactly(Map.entry("web-a", CALLS));
  }

  /**
   * Waits until Envoy ACKed the assignment it is served now, then until a call is answered by {@code
   * backend}: Envoy ACKs on its main thread, and its worker takes the new hosts from there.
   */
  private static void awaitAnsweredBy(String backend) {
    zones.awaitEdsAcked(envoy.nodeId);
    Poll.until(ZoneFailover.WAIT, () -> backend.equals(call("web", 8080)), () -> "a call answered by " + backend);
  }

  @Test
  void anOutlierEjectionAloneFailsOverTheZone() {
    try {
      ejectZoneA();
    } finally {
      inA.failing = false;
    }
    Poll.until(ZoneFailover.WAIT, () -> "web-a".equals(call("web", 8080)), "zone-a called again after the ejection");
  }

  private static void ejectZoneA() {
    inA.failing = true;
    int failures = 0;
    int fromBInARow = 0;
    long deadline = System.nanoTime() + ZoneFailover.WAIT.toNanos();
    while (fromBInARow < 20) {
      assertThat(System.nanoTime()).as("zone-b takes the calls within 20 s; %d 5xx so far", failures)
          .isLessThan(deadline);
      String answer = call("web", 8080);
      failures += answer.equals("503") ? 1 : 0;
      fromBInARow = answer.equals("web-b") ? fromBInARow + 1 : 0;
    }
    System.out.printf("[EnvoyZoneFailoverTest] %d 5xx before zone-a's endpoint was ejected%n", failures);
    assertThat(failures).as("the calls before the ejection").isEqualTo(CONSECUTIVE_5XX);
    assertThat(envoy.admin("/clusters")).contains("web.a::127.0.0.1:" + inA.port() + "::health_flags::/failed_outlier_check");
    assertThat(mesh.api.get("/v1/namespaces/a/services/web/endpoints/web-a").expect(200).body().path("health")
        .asText()).as("the registry does not know: Envoy's own ejection").isEqualTo("HEALTHY");
    assertThat(landings("web", 8080)).containsExactly(Map.entry("web-b", CALLS));
  }

  /**
   * Envoy's overprovisioning factor (1.4): zone-a keeps every call while 3 of its 4 endpoints are healthy
   * (1.4 x 75 % is over 100 %), and about 70 % of them with 2 of 4 (1.4 x 50 %), the rest going to zone-b.
   */
  @Test
  void belowAboutSeventyTwoPercentHealthyTheZoneSpillsProportionally() throws IOException {
    httpService("wide", 8082, ",\"zoneAware\":{\"enabled\":true}");
    for (int i = 1; i <= 4; i++) {
      zones.register("wide", "wide-a" + i, new SwitchableBackend("wide-a" + i, servers).port(), "zone-a");
    }
    zones.register("wide", "wide-b", new SwitchableBackend("wide-b", servers).port(), "zone-b");
    Poll.until(ZoneFailover.WAIT, () -> call("wide", 8082).startsWith("wide-a"), "a first wide call in zone-a");
    zones.setHealthAndAwaitAck("wide", "wide-a1", "UNHEALTHY", envoy.nodeId);
    Map<String, Integer> threeOfFour = zoneShares(ZoneFailover.landings(200, () -> call("wide", 8082)));
    zones.setHealthAndAwaitAck("wide", "wide-a2", "UNHEALTHY", envoy.nodeId);
    Map<String, Integer> twoOfFour = zoneShares(ZoneFailover.landings(1_000, () -> call("wide", 8082)));
    System.out.println("[EnvoyZoneFailoverTest] wide, 3 of 4 healthy: " + threeOfFour + "; 2 of 4: " + twoOfFour);
    assertThat(threeOfFour).containsExactly(Map.entry("zone-a", 200));
    // 1,000 calls at p = 0.7: sigma is 14.5 calls, so 62 % to 78 % is over 5 sigma either way.
    assertThat(twoOfFour.getOrDefault("zone-a", 0)).isBetween(620, 780);
    assertThat(twoOfFour.get("zone-a") + twoOfFour.getOrDefault("zone-b", 0)).isEqualTo(1_000);
  }

  private static Map<String, Integer> zoneShares(Map<String, Integer> byBackend) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    byBackend.forEach((answer, n) -> out.merge(answer.startsWith("wide-a") ? "zone-a"
        : answer.equals("wide-b") ? "zone-b" : answer, n, Integer::sum));
    return out;
  }

  @Test
  void aServiceThatIsNotZoneAwareStaysSpreadOverBothZones() {
    Map<String, Integer> spread = landings("spread", 8081);
    System.out.println("[EnvoyZoneFailoverTest] spread: " + spread);
    assertThat(spread.keySet()).containsExactlyInAnyOrder("web-a", "web-b");
    assertThat(spread.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(30));
  }

  private static void httpService(String name, int port, String extra) {
    mesh.api.put("/v1/namespaces/a/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":" + port + "}],"
        + "\"retryPolicy\":{\"numRetries\":0}" + extra + "}").expect(201);
  }

  private static Map<String, Integer> landings(String svc, int port) {
    Map<String, Integer> counts = ZoneFailover.landings(CALLS, () -> call(svc, port));
    System.out.println("[EnvoyZoneFailoverTest] " + svc + ": " + counts);
    return counts;
  }

  /** One GET through Envoy: the backend's name, or the status code when it is not 200. */
  private static String call(String svc, int port) {
    String url = urls.computeIfAbsent(svc, k -> "http://" + mesh.vip("a", svc, port) + ":" + port + "/call");
    HttpResponse<String> r = EnvoyProxy.get(url).orElseThrow(() -> new AssertionError("no answer from " + url
        + "; envoy log:\n" + envoy.tail()));
    return r.statusCode() == 200 ? r.body() : Integer.toString(r.statusCode());
  }
}
