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
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A RING_HASH service hashed on a header is sticky through a real Envoy sidecar: one header value
 * always reaches one of three HTTP backends, different values reach several; a ROUND_ROBIN service
 * spreads even one value over all three.
 */
class HashPolicyTest {
  private static final int BACKENDS = 3;
  private static final String HEADER = "x-user-id";

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final List<HttpServer> backends = new ArrayList<>();
  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(20);
  private static EnvoyProxy envoy;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
    httpService("sticky", 8080, "\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"" + HEADER + "\"}");
    httpService("spread", 8081, "\"loadBalancing\":\"ROUND_ROBIN\"");
    for (int i = 1; i <= BACKENDS; i++) {
      HttpServer backend = HttpBackends.httpBackend("backend-" + i);
      backends.add(backend);
      for (String svc : List.of("sticky", "spread")) {
        mesh.api.put("/v1/namespaces/a/services/" + svc + "/endpoints/backend-" + i, "{\"address\":\"127.0.0.1\","
            + "\"port\":" + backend.getAddress().getPort() + "}").expect(201);
      }
    }
    envoy = EnvoyProxy.start(mesh, TestEtcd.tempDir("hash-policy"));
    for (String svc : List.of("sticky", "spread")) {
      Poll.until(WAIT, () -> healthyHosts(svc + ".a") == BACKENDS,
          () -> "envoy has " + BACKENDS + " healthy hosts in " + svc + ".a; envoy log:\n" + envoy.tail());
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (envoy != null) {
      envoy.close();
    }
    backends.forEach(b -> b.stop(0));
  }

  @Test
  void oneHeaderValueAlwaysReachesOneBackend() {
    Map<String, Integer> counts = landings("sticky", 8080, IntStream.range(0, 30).mapToObj(i -> "user-42").toList());
    System.out.println("[HashPolicyTest] RING_HASH, 30 requests as user-42: " + counts);
    assertThat(counts).hasSize(1).containsValue(30);
  }

  @Test
  void differentHeaderValuesReachSeveralBackends() {
    Map<String, Integer> counts = landings("sticky", 8080, IntStream.range(0, 10).mapToObj(i -> "user-" + i).toList());
    System.out.println("[HashPolicyTest] RING_HASH, 10 users: " + counts);
    assertThat(counts.size()).as("backends reached").isGreaterThanOrEqualTo(2);
  }

  @Test
  void roundRobinSpreadsOneHeaderValueOverEveryBackend() {
    Map<String, Integer> counts = landings("spread", 8081, IntStream.range(0, 30).mapToObj(i -> "user-42").toList());
    System.out.println("[HashPolicyTest] ROUND_ROBIN, 30 requests as user-42: " + counts);
    assertThat(counts).hasSize(BACKENDS);
  }

  private static void httpService(String name, int port, String policy) {
    mesh.api.put("/v1/namespaces/a/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":" + port + "}]," + policy + "}").expect(201);
  }

  /** Hosts Envoy's admin lists as healthy members of {@code cluster}. */
  private static long healthyHosts(String cluster) {
    return EnvoyProxy.get(envoy.adminUrl + "/clusters", Map.of())
        .map(r -> r.body().lines().filter(l -> l.startsWith(cluster + "::127.0.0.1:")
            && l.endsWith("::health_flags::healthy")).count())
        .orElse(0L);
  }

  /** One request per user id through Envoy's egress listener on the service's VIP: how many each backend answered. */
  private static Map<String, Integer> landings(String svc, int port, List<String> userIds) {
    String url = "http://" + mesh.vip("a", svc, port) + ":" + port + "/";
    Map<String, Integer> counts = new TreeMap<>();
    for (String user : userIds) {
      HttpResponse<String> r = EnvoyProxy.get(url, Map.of(HEADER, user))
          .orElseThrow(() -> new AssertionError("no answer from " + url + "; envoy log:\n" + envoy.tail()));
      assertThat(r.statusCode()).as("GET %s as %s: %s", url, user, r.body()).isEqualTo(200);
      counts.merge(r.body(), 1, Integer::sum);
    }
    return counts;
  }
}
