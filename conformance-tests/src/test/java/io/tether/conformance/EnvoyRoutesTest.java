package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Route rules through a real Envoy sidecar (README "Routes"): service {@code web} sends {@code /refunds/…}
 * to service {@code refunds}, calls with {@code x-tenant: acme} to service {@code web-acme}, and
 * {@code /v2/items/…} (an RE2 path) to {@code web-acme} too; every other call still reaches {@code web}.
 * Each of the three HTTP backends answers its own name, so every answer says which service took the call.
 */
class EnvoyRoutesTest {
  private static final int CALLS = 100;
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final List<HttpServer> backends = new ArrayList<>();
  private static EnvoyProxy envoy;
  private static String web;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/a", "{}").expect(201);
    httpService("refunds", 8081, "");
    httpService("web-acme", 8082, "");
    httpService("web", 8080, ",\"routes\":["
        + "{\"name\":\"refunds\",\"match\":{\"path\":{\"prefix\":\"/refunds/\"}},\"to\":[{\"service\":\"refunds\"}],"
        + "\"timeout\":{\"perRequestTimeoutSeconds\":30}},"
        + "{\"name\":\"acme\",\"match\":{\"headers\":[{\"name\":\"x-tenant\",\"exact\":\"acme\"}]},"
        + "\"to\":[{\"service\":\"web-acme\"}]},"
        + "{\"name\":\"v2\",\"match\":{\"path\":{\"regex\":\"/v2/items/[a-z0-9-]+\"},\"methods\":[\"GET\",\"HEAD\"]},"
        + "\"to\":[{\"service\":\"web-acme\"}]}]");
    for (String svc : List.of("web", "refunds", "web-acme")) {
      HttpServer backend = HttpBackends.httpBackend(svc);
      backends.add(backend);
      mesh.api.put("/v1/namespaces/a/services/" + svc + "/endpoints/" + svc + "-1", "{\"address\":\"127.0.0.1\","
          + "\"port\":" + backend.getAddress().getPort() + "}").expect(201);
    }
    envoy = EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-routes"));
    web = "http://" + mesh.vip("a", "web", 8080) + ":8080";
    for (String svc : List.of("web", "refunds", "web-acme")) {
      Poll.until(WAIT, () -> healthyHosts(svc + ".a") == 1,
          () -> "envoy has a healthy host in " + svc + ".a; envoy log:\n" + envoy.tail());
    }
    // The route arrives over RDS after the listener: wait for its first rule's answer before counting.
    Poll.until(WAIT, () -> EnvoyProxy.get(web + "/refunds/1").map(r -> "refunds".equals(r.body())).orElse(false),
        () -> "a first /refunds/ call answered by refunds; envoy log:\n" + envoy.tail());
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.close();
    }
    backends.forEach(b -> b.stop(0));
  }

  @Test
  void aPathRuleSendsEveryCallToItsService() {
    assertThat(landings("/refunds/42", Map.of())).containsExactly(Map.entry("refunds", CALLS));
  }

  @Test
  void aHeaderRuleSendsEveryCallToItsService() {
    assertThat(landings("/orders", Map.of("x-tenant", "acme"))).containsExactly(Map.entry("web-acme", CALLS));
  }

  @Test
  void aRegexPathRuleWithMethodsSendsEveryCallToItsService() {
    assertThat(landings("/v2/items/blue-7", Map.of())).containsExactly(Map.entry("web-acme", CALLS));
  }

  @Test
  void everyOtherCallStillReachesTheServiceItself() {
    assertThat(landings("/orders", Map.of())).containsExactly(Map.entry("web", CALLS));
    assertThat(landings("/refunds", Map.of("x-tenant", "other"))).as("no rule matches: no trailing slash, other tenant")
        .containsExactly(Map.entry("web", CALLS));
    assertThat(landings("/v2/items/Blue", Map.of())).as("the regex matches the whole path, in lower case only")
        .containsExactly(Map.entry("web", CALLS));
  }

  @Test
  void envoyAcceptedTheRoutesWithoutAnyRejection() {
    String routes = envoy.admin("/config_dump?resource=dynamic_route_configs");
    assertThat(routes).contains("\"name\": \"acme\"").doesNotContain("error_state");
  }

  private static void httpService(String name, int port, String routes) {
    mesh.api.put("/v1/namespaces/a/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":" + port + "}]" + routes + "}").expect(201);
  }

  private static long healthyHosts(String cluster) {
    return EnvoyProxy.get(envoy.adminUrl + "/clusters", Map.of())
        .map(r -> r.body().lines().filter(l -> l.startsWith(cluster + "::127.0.0.1:")
            && l.endsWith("::health_flags::healthy")).count())
        .orElse(0L);
  }

  /** {@link #CALLS} GETs of {@code path} on web's VIP through Envoy: how many each backend answered. */
  private static Map<String, Integer> landings(String path, Map<String, String> headers) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < CALLS; i++) {
      HttpResponse<String> r = EnvoyProxy.get(web + path, headers)
          .orElseThrow(() -> new AssertionError("no answer from " + web + path + "; envoy log:\n" + envoy.tail()));
      assertThat(r.statusCode()).as("GET %s %s: %s", path, headers, r.body()).isEqualTo(200);
      counts.merge(r.body(), 1, Integer::sum);
    }
    System.out.println("[EnvoyRoutesTest] GET " + path + " " + headers + ": " + counts);
    return counts;
  }
}
