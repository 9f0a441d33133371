package io.tether.xds.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.tether.model.Namespace;
import io.tether.model.Tracing;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What a namespace's {@code tracing} renders (README "Tracing"), against reviewed files under
 * {@code golden/tracing/}: the collector cluster (a DNS name, an IPv4 and an IPv6 address), and the
 * traced connection managers of the fixture's sidecar, as the publisher sends them. Update as
 * {@link GoldenFilesTest} says.
 */
class TracingGoldenFilesTest {
  private static final Namespace TRACED = new Namespace(MeshFixture.NS, "fixture", MeshFixture.NAMESPACE.defaults(),
      new Tracing("otel.observability:4317", 10.0));
  private static final GroupKey SIDECAR = new GroupKey(MeshFixture.NS, ProxyKind.ENVOY, MeshFixture.SERVED);

  static Map<String, Message> cases() throws Exception {
    Map<String, Message> out = new TreeMap<>();
    PublishedGroup.firstSnapshot(SIDECAR, TRACED).forEach((key, resource) -> {
      if (key.startsWith("cds.otlp") || key.startsWith("lds.egress:payments") || key.startsWith("lds.egress:quotes")
          || key.startsWith("lds.ingress:payments") || key.startsWith("lds.ingress:quotes")
          || key.startsWith("lds.ingress:cache")) {
        out.put(key, resource);
      }
    });
    out.put("collector-ipv4", TracingRenderer.collector("prod", new Tracing("10.0.9.4:4317", null)));
    out.put("collector-ipv6", TracingRenderer.collector("prod", new Tracing("[fd00::9]:4317", null)));
    return out;
  }

  @Test
  void tracingMatchesTheReviewedGoldenFiles() throws Exception {
    GoldenFilesTest.assertMatchesGoldenDir(GoldenFilesTest.GOLDEN.resolve("tracing"), cases());
  }

  @Test
  void everyCasePassesEnvoysValidateRulesAndUsesNoDeprecatedField() throws Exception {
    GoldenFilesTest.assertValidAndCurrent(cases());
  }

  @Test
  void onlyTheCollectorAndTheHttpConnectionManagersChange() throws Exception {
    Map<String, Message> traced = PublishedGroup.firstSnapshot(SIDECAR, TRACED);
    Map<String, Message> plain = PublishedGroup.firstSnapshot(SIDECAR);
    assertThat(traced.keySet()).containsAll(plain.keySet());
    assertThat(traced.keySet()).as("one more resource").hasSize(plain.size() + 1).contains("cds.otlp:prod");
    plain.forEach((key, resource) -> {
      if (key.startsWith("lds.") && !key.contains("cache") && !key.contains("sessions")) {
        assertThat(traced.get(key)).as(key).isNotEqualTo(resource);
      } else {
        assertThat(traced.get(key)).as("%s: not HTTP, or no listener", key).isEqualTo(resource);
      }
    });
  }

  @Test
  void ingressSpansAreTheServedServicesAndEgressSpansTheEnvironments() throws Exception {
    Map<String, Message> traced = PublishedGroup.firstSnapshot(SIDECAR, TRACED);
    var ingress = otel(hcm((Listener) traced.get("lds.ingress:payments")));
    assertThat(ingress.getServiceName()).isEqualTo("payments");
    assertThat(ingress.getResourceDetectorsCount()).as("the env would rename it: a host agent serves many").isZero();
    var egress = otel(hcm((Listener) traced.get("lds.egress:payments:8080")));
    assertThat(egress.getServiceName()).as("shared by every caller").isEmpty();
    assertThat(egress.getResourceDetectorsList()).extracting(d -> d.getName())
        .containsExactly(TracingRenderer.ENVIRONMENT_DETECTOR);
    assertThat(egress.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("otlp:prod");
    assertThat(hcm((Listener) traced.get("lds.egress:payments:8080")).getTracing().getRandomSampling().getValue())
        .isEqualTo(10.0);
  }

  @Test
  void aServerOnlySidecarGetsTheCollectorToo() throws Exception {
    GroupKey serverOnly = new GroupKey(MeshFixture.NS, ProxyKind.ENVOY, MeshFixture.SERVED, true, null);
    Map<String, Message> traced = PublishedGroup.firstSnapshot(serverOnly, TRACED);
    assertThat(traced).containsKey("cds.otlp:prod");
    assertThat(((Cluster) traced.get("cds.otlp:prod")).getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
  }

  @Test
  void proxylessClientsGetNoTracing() throws Exception {
    GroupKey grpc = new GroupKey(MeshFixture.NS, ProxyKind.GRPC, List.of());
    assertThat(PublishedGroup.firstSnapshot(grpc, TRACED)).isEqualTo(PublishedGroup.firstSnapshot(grpc));
  }

  private static HttpConnectionManager hcm(Listener listener) throws Exception {
    return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
  }

  private static io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig otel(HttpConnectionManager hcm)
      throws Exception {
    return hcm.getTracing().getProvider().getTypedConfig()
        .unpack(io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.class);
  }
}
