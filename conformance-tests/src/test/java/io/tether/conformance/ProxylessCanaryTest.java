package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.grpc.ManagedChannel;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canaries for stock grpc-java xDS clients (README "Canaries and test traffic"; docs/xds-clients.md): grpc
 * service {@code echo} has subsets v1 and v2 by endpoint label, each its own cluster (grpc-java has no subset
 * load balancing), a split between them as the default route's weighted clusters, and a test traffic rule
 * sending metadata {@code x-canary: true} to v2. Routes are inline in the api_listener, so a weight change is
 * an LDS update; 0-weight clusters stay in the route, so the client stays subscribed to them.
 */
class ProxylessCanaryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "a";

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static XdsClient client;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    putEcho(90, 10);
    register(mesh.backend("v1"), "v1");
    register(mesh.backend("v2"), "v2");
    client = mesh.client(NS, Mesh.AGENT_A);
    channel = client.channel("echo:50051");
    Poll.until(WAIT, () -> "v2".equals(call(Map.of("x-canary", "true"))), "a first test traffic call answered by v2");
  }

  @Test
  void aNinetyTenSplitLandsWithinFivePercentOverTwoThousandCalls() {
    awaitListener();
    Map<String, Integer> counts = landings(2_000, Map.of());
    assertThat(counts).containsOnlyKeys("v1", "v2");
    assertThat(counts.get("v1") / 2_000.0).isBetween(0.85, 0.95);
    assertThat(AckedVersions.nacks(mesh, client.nodeId)).as("NACKs of %s", client.nodeId).isZero();
  }

  @Test
  void aTestTrafficHeaderAlwaysReachesTheCanary() {
    awaitListener();
    assertThat(landings(200, Map.of("x-canary", "true"))).containsExactly(Map.entry("v2", 200));
  }

  @Test
  void weightChangesUnderSteadyLoadLoseNoCallAndEachWindowMatchesTheNewSplit() {
    awaitListener();
    List<CallLoop.Result> failures;
    int calls;
    try (CallLoop load = new CallLoop(channel, 5_000)) {
      Poll.until(WAIT, () -> load.count() >= 50, "the load runs");
      shift(load, 50, 50, 2_000, 0.45, 0.55);
      shift(load, 0, 100, 500, 0.0, 0.0);
      shift(load, 90, 10, 2_000, 0.85, 0.95);
      failures = load.failures();
      calls = load.count();
    }
    System.out.println("[ProxylessCanaryTest] calls across the weight changes: " + calls + ", failed " + failures);
    assertThat(failures).as("failed calls across the weight changes (of %d)", calls).isEmpty();
    assertThat(AckedVersions.nacks(mesh, client.nodeId)).isZero();
  }

  /** Puts the split, waits for the client's ACK of the listener rendered from it, then checks a window of calls. */
  private static void shift(CallLoop load, int v1, int v2, int window, double low, double high) {
    long start = System.nanoTime();
    long ackMs = AckedVersions.writeAndAwaitAck(mesh, NS, client.nodeId, ResourceType.LISTENER, () -> putEcho(v1, v2));
    Map<String, Integer> counts = landings(window, Map.of());
    String shown = "";
    if (v1 == 0) {
      long lastV1 = load.after(start).stream().filter(r -> r.answer().equals("v1"))
          .mapToLong(CallLoop.Result::endNanos).max().orElse(start);
      shown = ", last v1 answer " + (lastV1 - start) / 1_000_000 + " ms after the PUT";
    }
    System.out.printf("[ProxylessCanaryTest] %d/%d: LDS ACKed %d ms after the PUT%s; window %s%n", v1, v2, ackMs,
        shown, counts);
    assertThat(counts.getOrDefault("v1", 0) / (double) window).as("v1's share after %d/%d: %s", v1, v2, counts)
        .isBetween(low, high);
    assertThat(counts).containsOnlyKeys(v1 == 0 ? List.of("v2") : List.of("v1", "v2"));
  }

  /** Until the client has ACKed the listeners (routes inline) the server serves it now. */
  private static void awaitListener() {
    Poll.until(WAIT, () -> AckedVersions.ackedCurrent(mesh, NS, client.nodeId, ResourceType.LISTENER),
        () -> "LDS ACKed at the served version; /v1/proxies " + mesh.proxyStream(client.nodeId));
  }

  private static void putEcho(int v1, int v2) {
    if (mesh.api.get("/v1/namespaces/" + NS).status() == 404) {
      mesh.api.put("/v1/namespaces/" + NS, "{}").expect(201);
    }
    ApiClient.Response r = mesh.api.put("/v1/namespaces/" + NS + "/services/echo", "{\"portName\":\"grpc\","
        + "\"appProtocol\":\"grpc\",\"clientAliases\":[{\"dnsName\":\"echo\",\"port\":50051}],"
        + "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"version\":\"v1\"}},{\"name\":\"v2\",\"labels\":{\"version\":\"v2\"}}],"
        + "\"split\":[{\"subset\":\"v1\",\"weight\":" + v1 + "},{\"subset\":\"v2\",\"weight\":" + v2 + "}],"
        + "\"testTraffic\":[{\"name\":\"canary\",\"header\":{\"name\":\"x-canary\",\"exact\":\"true\"},"
        + "\"to\":[{\"subset\":\"v2\"}]}]}");
    assertThat(r.status()).as("PUT echo %d/%d: %s", v1, v2, r.body()).isIn(200, 201);
  }

  private static void register(EchoBackend backend, String version) {
    mesh.api.put("/v1/namespaces/" + NS + "/services/echo/endpoints/" + backend.name, "{\"address\":\"127.0.0.1\","
        + "\"port\":" + backend.port() + ",\"health\":\"HEALTHY\",\"labels\":{\"version\":\"" + version + "\"}}")
        .expect(201);
  }

  private static String call(Map<String, String> metadata) {
    try {
      return XdsClient.call(channel, EchoBackend.CALL, metadata, 5_000);
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  private static Map<String, Integer> landings(int calls, Map<String, String> metadata) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(call(metadata), 1, Integer::sum);
    }
    System.out.println("[ProxylessCanaryTest] " + calls + " calls " + metadata + ": " + counts);
    return counts;
  }
}
