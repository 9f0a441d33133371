package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canaries through a real Envoy sidecar (README "Canaries and test traffic"): service {@code web} has
 * subsets v1 and v2 by endpoint label, a split between them, and a test traffic rule sending
 * {@code x-canary: true} to v2. Each backend answers its name; a third endpoint has no label and is in no
 * subset. A 90/10 split lands within ±5 % over 2,000 calls, the header always reaches v2, and weight
 * changes under steady load lose no call, each window after the route's ACK matching the new split.
 */
class EnvoyCanaryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "a";
  private static final int CALLERS = 8;

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final List<HttpServer> backends = new ArrayList<>();
  private static EnvoyProxy envoy;
  private static String web;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/" + NS, "{}").expect(201);
    putWeb(90, 10);
    register("v1", ",\"labels\":{\"version\":\"v1\"}");
    register("v2", ",\"labels\":{\"version\":\"v2\",\"track\":\"canary\"}");
    register("unlabelled", "");
    envoy = EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-canary"));
    web = "http://" + mesh.vip(NS, "web", 8080) + ":8080";
    for (String cluster : List.of("web~v1.a", "web~v2.a", "web.a")) {
      Poll.until(WAIT, () -> healthyHosts(cluster) > 0, () -> "envoy has a healthy host in " + cluster
          + "; envoy log:\n" + envoy.tail());
    }
    Poll.until(WAIT, () -> answer(Map.of("x-canary", "true")).map(r -> "v2".equals(r.body())).orElse(false),
        () -> "a first test traffic call answered by v2; envoy log:\n" + envoy.tail());
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.close();
    }
    backends.forEach(b -> b.stop(0));
  }

  @Test
  void aNinetyTenSplitLandsWithinFivePercentOverTwoThousandCalls() {
    awaitRoute();
    Map<String, Integer> counts = landings(2_000, Map.of());
    assertThat(counts).containsOnlyKeys("v1", "v2").as("the unlabelled endpoint is in no subset");
    assertThat(counts.get("v1") / 2_000.0).isBetween(0.85, 0.95);
    assertThat(AckedVersions.nacks(mesh, envoy.nodeId)).isZero();
  }

  @Test
  void aTestTrafficHeaderAlwaysReachesTheCanary() {
    awaitRoute();
    assertThat(landings(200, Map.of("x-canary", "true"))).containsExactly(Map.entry("v2", 200));
  }

  @Test
  void weightChangesUnderSteadyLoadLoseNoCallAndEachWindowMatchesTheNewSplit() throws Exception {
    awaitRoute();
    AtomicInteger ok = new AtomicInteger();
    AtomicLong lastV1 = new AtomicLong();
    List<String> failures = new CopyOnWriteArrayList<>();
    Thread load = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        Optional<HttpResponse<String>> r = answer(Map.of());
        if (r.isPresent() && r.get().statusCode() == 200) {
          ok.incrementAndGet();
          if ("v1".equals(r.get().body())) {
            lastV1.set(System.nanoTime());
          }
        } else {
          failures.add(r.map(x -> x.statusCode() + " " + x.body()).orElse("no answer"));
        }
      }
    }, "canary-load");
    load.start();
    try {
      Poll.until(WAIT, () -> ok.get() >= 50, "the load runs");
      shift(50, 50, 2_000, 0.45, 0.55, lastV1);
      shift(0, 100, 500, 0.0, 0.0, lastV1);
      shift(90, 10, 2_000, 0.85, 0.95, lastV1);
    } finally {
      load.interrupt();
      load.join(5_000);
    }
    System.out.println("[EnvoyCanaryTest] calls across the weight changes: " + ok.get() + " succeeded, "
        + failures.size() + " failed");
    assertThat(failures).as("failed calls across the weight changes (%d succeeded)", ok.get()).isEmpty();
    assertThat(AckedVersions.nacks(mesh, envoy.nodeId)).isZero();
  }

  /** Puts the split, waits for Envoy's ACK of the route rendered from it, then checks a window of calls. */
  private static void shift(int v1, int v2, int window, double low, double high, AtomicLong lastV1) {
    long start = System.nanoTime();
    long ackMs = AckedVersions.writeAndAwaitAck(mesh, NS, envoy.nodeId, ResourceType.ROUTE, () -> putWeb(v1, v2));
    Map<String, Integer> counts = landings(window, Map.of());
    double share = counts.getOrDefault("v1", 0) / (double) window;
    String shown = v1 == 0 ? ", last v1 answer " + (lastV1.get() - start) / 1_000_000 + " ms after the PUT" : "";
    System.out.printf("[EnvoyCanaryTest] %d/%d: RDS ACKed %d ms after the PUT%s; window %s%n", v1, v2, ackMs, shown,
        counts);
    assertThat(share).as("v1's share after %d/%d: %s", v1, v2, counts).isBetween(low, high);
    assertThat(counts).containsOnlyKeys(v1 == 0 ? List.of("v2") : List.of("v1", "v2"));
  }

  /** Until the caller's Envoy has ACKed the route (RDS) the server serves it now, and no NACK. */
  private static void awaitRoute() {
    Poll.until(WAIT, () -> AckedVersions.ackedCurrent(mesh, NS, envoy.nodeId, ResourceType.ROUTE),
        () -> "RDS ACKed at the served version; /v1/proxies " + mesh.proxyStream(envoy.nodeId));
  }

  private static void putWeb(int v1, int v2) {
    ApiClient.Response r = mesh.api.put("/v1/namespaces/" + NS + "/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],"
        + "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"version\":\"v1\"}},{\"name\":\"v2\",\"labels\":{\"version\":\"v2\"}}],"
        + "\"split\":[{\"subset\":\"v1\",\"weight\":" + v1 + "},{\"subset\":\"v2\",\"weight\":" + v2 + "}],"
        + "\"testTraffic\":[{\"name\":\"canary\",\"header\":{\"name\":\"x-canary\",\"exact\":\"true\"},"
        + "\"to\":[{\"subset\":\"v2\"}]}]}");
    assertThat(r.status()).as("PUT web %d/%d: %s", v1, v2, r.body()).isIn(200, 201);
  }

  private static void register(String name, String labels) {
    HttpServer backend = HttpBackends.httpBackend(name);
    backends.add(backend);
    mesh.api.put("/v1/namespaces/" + NS + "/services/web/endpoints/" + name, "{\"address\":\"127.0.0.1\",\"port\":"
        + backend.getAddress().getPort() + labels + "}").expect(201);
  }

  private static long healthyHosts(String cluster) {
    return EnvoyProxy.get(envoy.adminUrl + "/clusters", Map.of())
        .map(r -> r.body().lines().filter(l -> l.startsWith(cluster + "::127.0.0.1:")
            && l.endsWith("::health_flags::healthy")).count())
        .orElse(0L);
  }

  private static Optional<HttpResponse<String>> answer(Map<String, String> headers) {
    return EnvoyProxy.get(web + "/orders", headers);
  }

  /**
   * {@code calls} GETs on web's VIP through Envoy, each answered 200, by {@link #CALLERS} callers at once (one
   * call through the loopback Envoy to the JDK's HTTP server takes tens of ms): how many each backend answered.
   */
  private static Map<String, Integer> landings(int calls, Map<String, String> headers) {
    Map<String, Integer> counts = new java.util.concurrent.ConcurrentSkipListMap<>();
    List<String> wrong = new CopyOnWriteArrayList<>();
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(CALLERS);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        done.add(callers.submit(() -> {
          Optional<HttpResponse<String>> r = answer(headers);
          if (r.isPresent() && r.get().statusCode() == 200) {
            counts.merge(r.get().body(), 1, Integer::sum);
          } else {
            wrong.add(r.map(x -> x.statusCode() + " " + x.body()).orElse("no answer"));
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      callers.shutdownNow();
    }
    assertThat(wrong).as("GETs %s not answered 200; envoy log:\n%s", headers, envoy.tail()).isEmpty();
    System.out.println("[EnvoyCanaryTest] " + calls + " GETs " + headers + ": " + counts);
    return new TreeMap<>(counts);
  }
}
