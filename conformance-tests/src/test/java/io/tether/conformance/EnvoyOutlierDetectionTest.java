package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outlier detection as a real Envoy sidecar applies Tether's policy: of two endpoints, the one that
 * starts answering 5xx is ejected after {@code consecutive5xx} of them, its calls move to the healthy
 * one, and it is called again once the ejection time is over. Retries are off, so every 5xx the backend
 * sends reaches the caller and the count the test sees is the count Envoy saw.
 */
class EnvoyOutlierDetectionTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  private static final String NS = "a";
  private static final String SVC = "od-envoy";
  private static final String CLUSTER = SVC + "." + NS;
  private static final int PORT = 8080;
  private static final int CONSECUTIVE_5XX = 3;
  private static final int INTERVAL_MS = 200;
  private static final int BASE_EJECTION_MS = 2_000;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static EnvoyProxy envoy;
  private static final List<HttpServer> servers = new ArrayList<>();

  @BeforeAll
  static void startEnvoy() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/" + NS, "{}").expect(201);
    envoy = EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-outlier"));
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.close();
    }
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void endpointAnswering5xxIsEjectedAndReturnsAfterTheEjectionTime() {
    SwitchableBackend bad = new SwitchableBackend("bad", servers);
    SwitchableBackend good = new SwitchableBackend("good", servers);
    String url = service(bad.port(), good.port());
    Poll.until(WAIT, () -> answersFrom(url, 20).containsAll(Set.of("bad", "good")),
        "both endpoints answer before the bad one fails");

    bad.failing = true;
    int failures = 0;
    int healthyInARow = 0;
    long start = System.nanoTime();
    long lastFailure = start;
    List<String> timeline = new ArrayList<>();
    while (healthyInARow < 20) {
      assertThat(System.nanoTime() - start).as("ejected within 10 s, %d 5xx so far", failures)
          .isLessThan(10_000_000_000L);
      HttpResponse<String> r = call(url);
      if (r.statusCode() == 503) {
        failures++;
        lastFailure = System.nanoTime();
        timeline.add((lastFailure - start) / 1_000_000 + " ms");
        healthyInARow = 0;
      } else {
        assertThat(r.body()).isEqualTo("good");
        healthyInARow++;
      }
    }
    long ejectedAt = lastFailure;
    System.out.printf("[EnvoyOutlierDetectionTest] %d 5xx reached the caller; ejected %d ms after the backend "
        + "began failing%n", failures, (ejectedAt - start) / 1_000_000);
    assertThat(failures).as(() -> "5xx the caller saw before the ejection " + timeline + "; Envoy's outlier stats:\n"
        + envoy.admin("/stats?filter=outlier_detection")).isEqualTo(CONSECUTIVE_5XX);
    assertThat(envoy.stat("cluster." + CLUSTER + ".outlier_detection.ejections_active")).isEqualTo(1);
    assertThat(envoy.stat("cluster." + CLUSTER + ".outlier_detection.ejections_enforced_consecutive_5xx"))
        .isEqualTo(1);
    assertThat(envoy.admin("/clusters")).as("Envoy's /clusters")
        .contains(CLUSTER + "::127.0.0.1:" + bad.port() + "::health_flags::/failed_outlier_check");

    bad.failing = false;
    long returnedMs = Poll.until(WAIT, () -> "bad".equals(call(url).body()), "the ejected endpoint is called again");
    long ejectionMs = (System.nanoTime() - ejectedAt) / 1_000_000;
    System.out.printf("[EnvoyOutlierDetectionTest] the ejected endpoint answered again %d ms after its ejection "
        + "(baseEjectionTimeMs %d, intervalMs %d; %d ms polling)%n", ejectionMs, BASE_EJECTION_MS, INTERVAL_MS,
        returnedMs);
    assertThat(ejectionMs).as("ms ejected").isBetween((long) BASE_EJECTION_MS, BASE_EJECTION_MS + INTERVAL_MS + 1_500L);
    assertThat(envoy.stat("cluster." + CLUSTER + ".outlier_detection.ejections_active")).isZero();
    assertThat(envoy.admin("/clusters")).doesNotContain("failed_outlier_check");
  }

  /** An HTTP service with outlier detection and no retries, one HEALTHY endpoint per port; its VIP URL. */
  private static String service(int... ports) {
    mesh.api.put("/v1/namespaces/" + NS + "/services/" + SVC, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + SVC + "\",\"port\":" + PORT + "}],"
        + "\"retryPolicy\":{\"numRetries\":0},"
        + "\"outlierDetection\":{\"consecutive5xx\":" + CONSECUTIVE_5XX + ",\"intervalMs\":" + INTERVAL_MS
        + ",\"baseEjectionTimeMs\":" + BASE_EJECTION_MS + ",\"maxEjectionPercent\":50}}").expect(201);
    for (int i = 0; i < ports.length; i++) {
      mesh.api.put("/v1/namespaces/" + NS + "/services/" + SVC + "/endpoints/" + SVC + "-" + i,
          "{\"address\":\"127.0.0.1\",\"port\":" + ports[i] + ",\"health\":\"HEALTHY\"}").expect(201);
    }
    return "http://" + mesh.vip(NS, SVC, PORT) + ":" + PORT;
  }

  private static Set<String> answersFrom(String url, int calls) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < calls; i++) {
      EnvoyProxy.get(url + "/call").filter(r -> r.statusCode() == 200).ifPresent(r -> seen.add(r.body()));
    }
    return seen;
  }

  private static HttpResponse<String> call(String url) {
    return EnvoyProxy.get(url + "/call").orElseThrow(() -> new AssertionError("no answer from " + url
        + "\nenvoy log:\n" + envoy.tail()));
  }
}
