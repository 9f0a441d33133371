package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control plane's own metrics (docs/metrics.md), read from {@code /metrics} over HTTP and parsed as
 * Prometheus text, as a scraper would, while real clients (stock grpc-java xDS clients, raw ADS streams)
 * connect, take updates, reject them and leave. Each test uses a namespace of its own, so the
 * per-namespace figures are its own; the per-type counters are compared before and after.
 */
class ControlPlaneMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void theConnectedGaugeAndSnapshotSizesFollowAProxylessClientConnectingAndLeaving() {
    String ns = "metrics-conn";
    mesh.service(ns, "echo", 8080, "");
    mesh.register(ns, "echo", mesh.backend("conn-1"), "HEALTHY");
    String[] connected = {"tether_xds_proxies_connected", "namespace", ns, "kind", "grpc", "replica", "replica-1"};
    assertThat(scrape().value(connected[0], tail(connected))).as("connected before any client").isZero();

    XdsClient client = new XdsClient(mesh.xdsPort(), ns, Mesh.ADMIN);
    try {
      ManagedChannel channel = client.channel("echo:8080");
      Poll.until(WAIT, () -> XdsClient.tryCall(channel, 2000).equals("conn-1"), "a call through xDS");
      awaitValue(connected, 1);
      PrometheusText m = scrape();
      for (String type : List.of("lds", "cds", "eds")) { // a proxyless client's routes are in its listeners
        assertThat(m.value("tether_xds_snapshot_resources", "namespace", ns, "type", type)).as(type)
            .isGreaterThanOrEqualTo(1);
        assertThat(m.value("tether_xds_snapshot_bytes", "namespace", ns, "type", type)).as(type).isGreaterThan(10);
      }
    } finally {
      client.close();
    }
    awaitValue(connected, 0);
    PrometheusText after = scrape();
    assertThat(after.value("tether_xds_snapshot_resources", "namespace", ns)).as("resources of a group gone").isZero();
    assertThat(after.value("tether_xds_snapshot_bytes", "namespace", ns)).as("bytes of a group gone").isZero();
  }

  @Test
  void aRegistryWriteIsPushedAndItsTimeToTheClientsAckRecorded() {
    String ns = "metrics-push";
    mesh.service(ns, "echo", 8080, "");
    mesh.register(ns, "echo", mesh.backend("push-1"), "HEALTHY");
    XdsClient client = mesh.client(ns, Mesh.ADMIN);
    ManagedChannel channel = client.channel("echo:8080");
    Poll.until(WAIT, () -> XdsClient.tryCall(channel, 2000).equals("push-1"), "a call through xDS");
    PrometheusText before = scrape();

    long written = System.nanoTime();
    mesh.register(ns, "echo", mesh.backend("push-2"), "HEALTHY");
    awaitIncrease(before, "tether_xds_write_to_ack_seconds_count", "type", "eds");
    double elapsed = (System.nanoTime() - written) / 1e9;
    Poll.until(WAIT, () -> XdsClient.tryCall(channel, 2000).equals("push-2"), "the new endpoint called");
    PrometheusText after = scrape();

    assertThat(delta(before, after, "tether_xds_pushes_total", "type", "eds", "protocol", "sotw"))
        .as("EDS responses pushed for one endpoint write").isGreaterThanOrEqualTo(1);
    double samples = delta(before, after, "tether_xds_write_to_ack_seconds_count", "type", "eds");
    double seconds = delta(before, after, "tether_xds_write_to_ack_seconds_sum", "type", "eds");
    assertThat(samples).as("write-to-ACK samples: one client, one write").isEqualTo(1);
    assertThat(seconds).as("the sample, against the %.3f s from the write to its sample in /metrics", elapsed)
        .isGreaterThan(0).isLessThan(elapsed);
    assertThat(delta(before, after, "tether_xds_write_to_ack_seconds_bucket", "type", "eds", "le", "10.0"))
        .as("the 10 s bucket").isEqualTo(1);
    for (String type : List.of("lds", "rds", "cds")) {
      assertThat(delta(before, after, "tether_xds_write_to_ack_seconds_count", "type", type))
          .as("%s samples: an endpoint write changes only the assignment", type).isZero();
      assertThat(delta(before, after, "tether_xds_pushes_total", "type", type)).as("%s pushes", type).isZero();
    }
  }

  @Test
  void nacksAreCountedByTypeAndProtocol() {
    mesh.service("a", "payments", 8080, "");
    mesh.register("a", "payments", mesh.backend("nack-1"), "HEALTHY");
    mesh.awaitView();
    PrometheusText before = scrape();
    try (AdsProbe probe = new AdsProbe(mesh.xdsPort(), Mesh.AGENT_A,
        XdsMessages.node("metrics-nacker-" + UUID.randomUUID(), AdsProbe.ENVOY, XdsMessages.metadata("a")))) {
      probe.subscribe(AdsProbe.CDS, List.of());
      DiscoveryResponse clusters = probe.next(AdsProbe.CDS, WAIT);
      probe.nack(clusters, List.of(), "metrics: no clusters today");
      awaitIncrease(before, "tether_xds_nacks_total", "type", "cds", "protocol", "sotw");

      probe.sendDelta(AdsProbe.EDS, List.of("payments.a"), List.of(), "", null);
      DeltaDiscoveryResponse assignment = probe.nextDelta(AdsProbe.EDS, WAIT);
      probe.sendDelta(AdsProbe.EDS, List.of(), List.of(), assignment.getNonce(), "metrics: delta rejection");
      awaitIncrease(before, "tether_xds_nacks_total", "type", "eds", "protocol", "delta");
    }
    PrometheusText after = scrape();
    assertThat(delta(before, after, "tether_xds_nacks_total", "type", "cds", "protocol", "sotw")).isEqualTo(1);
    assertThat(delta(before, after, "tether_xds_nacks_total", "type", "eds", "protocol", "delta")).isEqualTo(1);
    assertThat(delta(before, after, "tether_xds_nacks_total", "type", "eds", "protocol", "sotw")).isZero();
    assertThat(delta(before, after, "tether_xds_pushes_total", "type", "cds", "protocol", "sotw")).isEqualTo(1);
    assertThat(delta(before, after, "tether_xds_pushes_total", "type", "eds", "protocol", "delta")).isEqualTo(1);
    assertThat(delta(before, after, "tether_xds_write_to_ack_seconds_count", "type", "cds"))
        .as("a rejected response is no ACK").isZero();
  }

  @Test
  void refusedStreamsAreCountedByReason() throws Exception {
    PrometheusText before = scrape();
    for (String reason : List.of("permission_denied", "invalid_node", "unauthenticated")) {
      assertThat(before.samples.stream().anyMatch(s -> s.name().equals("tether_xds_streams_refused_total")
          && reason.equals(s.labels().get("reason")))).as("a series for " + reason + " before any refusal").isTrue();
    }
    refused(Mesh.AGENT_B, XdsMessages.metadata("a"));
    refused(Mesh.AGENT_A, XdsMessages.metadata(null));
    refused("not-a-token-of-this-mesh", XdsMessages.metadata("a"));
    awaitIncrease(before, "tether_xds_streams_refused_total", "reason", "unauthenticated");
    PrometheusText after = scrape();
    for (String reason : List.of("permission_denied", "invalid_node", "unauthenticated")) {
      assertThat(delta(before, after, "tether_xds_streams_refused_total", "reason", reason)).as(reason).isEqualTo(1);
    }
  }

  private static void refused(String token, com.google.protobuf.Struct metadata) throws Exception {
    try (AdsProbe probe = new AdsProbe(mesh.xdsPort(), token,
        XdsMessages.node("metrics-refused-" + UUID.randomUUID(), AdsProbe.ENVOY, metadata))) {
      probe.subscribe(AdsProbe.EDS, List.of("payments.a"));
      probe.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static PrometheusText scrape() {
    return PrometheusText.of(mesh);
  }

  private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
    return after.since(before, name, labels);
  }

  private static void awaitIncrease(PrometheusText before, String name, String... labels) {
    PrometheusText.awaitIncrease(mesh, before, WAIT, name, labels);
  }

  private static void awaitValue(String[] sample, double value) {
    Poll.until(WAIT, () -> scrape().value(sample[0], tail(sample)) == value,
        () -> List.of(sample) + " = " + value + ", is " + scrape().value(sample[0], tail(sample)));
  }

  private static String[] tail(String[] a) {
    return java.util.Arrays.copyOfRange(a, 1, a.length);
  }
}
