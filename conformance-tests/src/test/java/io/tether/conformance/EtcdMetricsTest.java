package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The etcd figures of {@code /metrics} (docs/metrics.md) while etcd is down: a registry write that fails
 * counts an error with its operation and gRPC status code, and the view's broken watch counts a restart.
 * etcd is one of this test's own, killed and started again as the resilience tests do.
 */
class EtcdMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /**
   * The codes a call fails with while etcd is down: UNAVAILABLE or DEADLINE_EXCEEDED for a call made
   * after the kill, and UNKNOWN for one whose connection broke under it (grpc-java's status for a
   * transport closed mid-call, seen once in a loaded full run).
   */
  private static final List<String> OUTAGE_CODES = List.of("UNAVAILABLE", "DEADLINE_EXCEEDED", "UNKNOWN");

  @Test
  void aWriteWhileEtcdIsDownCountsAnErrorByCodeAndTheWatchARestart() {
    LocalEtcd etcd = TestEtcd.dedicated();
    try (Mesh mesh = new Mesh(etcd.clientUrl(), TestEtcd.uniquePrefix(), 0)) {
      mesh.api.put("/v1/namespaces/before", "{}").expect(201);
      PrometheusText before = PrometheusText.of(mesh);
      assertThat(before.value("tether_etcd_requests_seconds_count", "outcome", "ok")).as("etcd calls timed")
          .isGreaterThan(0);

      etcd.kill();
      try {
        ApiClient.Response write = mesh.api.put("/v1/namespaces/during", "{}");
        assertThat(write.status()).as(write.toString()).isEqualTo(503);
        PrometheusText during = PrometheusText.of(mesh);
        double errors = OUTAGE_CODES.stream().mapToDouble(code ->
            during.since(before, "tether_etcd_errors_total", "code", code)).sum();
        assertThat(errors).as("etcd errors counted with an outage's code in %s", during.samples.stream()
            .filter(s -> s.name().equals("tether_etcd_errors_total")).toList()).isGreaterThanOrEqualTo(1);
        assertThat(during.since(before, "tether_etcd_requests_seconds_count",
            "outcome", "error")).as("failed calls timed").isGreaterThanOrEqualTo(1);
        Poll.until(WAIT, () -> PrometheusText.of(mesh).value("tether_registry_view_watch_restarts_total")
            > before.value("tether_registry_view_watch_restarts_total"), "the view's watch restart counted");
      } finally {
        etcd.start().awaitHealthy(WAIT);
      }
      Poll.until(WAIT, () -> mesh.api.put("/v1/namespaces/after", "{}").status() == 201, "a write once etcd is back");
    } finally {
      etcd.close();
    }
  }
}
