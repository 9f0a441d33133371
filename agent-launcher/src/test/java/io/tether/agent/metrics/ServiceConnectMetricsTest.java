package io.tether.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mapping from Envoy's stats to Service Connect's metrics, on admin answers of the shape Envoy 1.40
 * gives ({@code /stats?format=json&histogram_buckets=cumulative}, {@code /clusters?format=json}), written
 * by the Prometheus text format writer. ServiceConnectMetricsEnvoyTest proves it against a real Envoy.
 */
class ServiceConnectMetricsTest {
  private static final String STATS = """
      {"stats": [
        {"name": "cluster.web.prod.upstream_rq_total", "value": 7},
        {"name": "cluster.web.prod.upstream_rq_2xx", "value": 5},
        {"name": "cluster.web.prod.upstream_rq_5xx", "value": 2},
        {"name": "cluster.web.prod.upstream_cx_active", "value": 1},
        {"name": "cluster.web.prod.upstream_cx_total", "value": 3},
        {"name": "cluster.web.prod.upstream_cx_rx_bytes_total", "value": 1000},
        {"name": "cluster.web.prod.upstream_cx_tx_bytes_total", "value": 234},
        {"name": "cluster.web.other.upstream_rq_total", "value": 99},
        {"name": "cluster.web~v2.prod.upstream_rq_total", "value": 11},
        {"name": "cluster.tether-xds.upstream_rq_total", "value": 42},
        {"name": "cluster.local_pay.upstream_rq_2xx", "value": 4},
        {"name": "cluster.local_pay.upstream_rq_4xx", "value": 1},
        {"name": "http.ingress_pay.downstream_rq_total", "value": 5},
        {"name": "http.ingress_pay.downstream_cx_active", "value": 2},
        {"name": "http.ingress_pay.downstream_cx_total", "value": 6},
        {"name": "http.ingress_pay.downstream_cx_rx_bytes_total", "value": 10},
        {"name": "http.ingress_pay.downstream_cx_tx_bytes_total", "value": 20},
        {"name": "http.ingress_pay.rbac.denied", "value": 3},
        {"name": "http.ingress_pay.rbac.allowed", "value": 2},
        {"name": "tcp.ingress_db.rbac.denied", "value": 4},
        {"name": "cluster.local_db.upstream_cx_active", "value": 3},
        {"name": "tcp.ingress_db.downstream_cx_total", "value": 8},
        {"name": "tcp.ingress_db.downstream_cx_rx_bytes_total", "value": 5},
        {"name": "tcp.ingress_db.downstream_cx_tx_bytes_total", "value": 5},
        {"name": "cluster.web.prod.version_text", "value": "abc"},
        {"histograms": [
          {"name": "cluster.web.prod.upstream_rq_time", "buckets": [
            {"upper_bound": 0.5, "interval": 0, "cumulative": 1},
            {"upper_bound": 5, "interval": 0, "cumulative": 4},
            {"upper_bound": 250, "interval": 0, "cumulative": 7},
            {"upper_bound": 3600000, "interval": 0, "cumulative": 7}]}]}
      ]}""";
  private static final String CLUSTERS = """
      {"cluster_statuses": [
        {"name": "web.prod", "host_statuses": [
          {"address": {"socket_address": {"address": "10.0.0.1", "port_value": 15000}},
           "stats": [{"name": "rq_total", "value": "4"}, {"name": "cx_active", "type": "GAUGE"}]},
          {"address": {"socket_address": {"address": "10.0.0.2", "port_value": 15000}},
           "stats": [{"name": "rq_total", "value": "3"}]}]},
        {"name": "web.other", "host_statuses": []},
        {"name": "web~v2.prod", "host_statuses": []},
        {"name": "tether-xds", "host_statuses": []},
        {"name": "local:pay", "host_statuses": []},
        {"name": "local:db", "host_statuses": []}
      ]}""";

  private static String scrape(String service, Set<String> grpc) throws Exception {
    EnvoyStats stats = EnvoyStats.parse(STATS, CLUSTERS);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out,
        ServiceConnectMetrics.derive(stats, new ServiceConnectMetrics.Task("prod", service, grpc)));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void outboundFiguresArePerTargetFromItsClusterAndPerEndpointFromItsHosts() throws Exception {
    String text = scrape("pay", Set.of());
    String out = "{direction=\"outbound\",namespace=\"prod\",service=\"pay\",target=\"web\"}";
    assertThat(text).contains("tether_sc_request_count_total" + out + " 7.0\n")
        .contains("tether_sc_httpcode_target_2xx_count_total" + out + " 5.0\n")
        .contains("tether_sc_httpcode_target_3xx_count_total" + out + " 0.0\n")
        .contains("tether_sc_httpcode_target_5xx_count_total" + out + " 2.0\n")
        .contains("tether_sc_active_connection_count" + out + " 1.0\n")
        .contains("tether_sc_new_connection_count_total" + out + " 3.0\n")
        .contains("tether_sc_target_processed_bytes_total" + out + " 1234.0\n")
        .contains("tether_sc_request_count_per_target_total{direction=\"outbound\",endpoint=\"10.0.0.1:15000\","
            + "namespace=\"prod\",service=\"pay\",target=\"web\"} 4.0\n")
        .contains("endpoint=\"10.0.0.2:15000\",namespace=\"prod\",service=\"pay\",target=\"web\"} 3.0\n");
    assertThat(text).as("another namespace's cluster and the xDS cluster are no targets")
        .doesNotContain("target=\"web.other\"").doesNotContain("99.0").doesNotContain("tether-xds");
  }

  @Test
  void aSubsetsClusterIsItsServiceAsTargetWithTheSubsetAsALabel() throws Exception {
    assertThat(scrape("pay", Set.of())).contains("tether_sc_request_count_total{direction=\"outbound\","
        + "namespace=\"prod\",service=\"pay\",subset=\"v2\",target=\"web\"} 11.0\n");
  }

  @Test
  void responseTimeIsEnvoysHistogramInSecondsWithItsLastBoundAsInfinity() throws Exception {
    String text = scrape("pay", Set.of());
    String labels = "direction=\"outbound\",namespace=\"prod\",service=\"pay\",target=\"web\"";
    assertThat(text).contains("tether_sc_target_response_time_seconds_bucket{" + labels + ",le=\"5.0E-4\"} 1\n")
        .contains("tether_sc_target_response_time_seconds_bucket{" + labels + ",le=\"0.005\"} 4\n")
        .contains("tether_sc_target_response_time_seconds_bucket{" + labels + ",le=\"0.25\"} 7\n")
        .contains("tether_sc_target_response_time_seconds_bucket{" + labels + ",le=\"+Inf\"} 7\n")
        .contains("tether_sc_target_response_time_seconds_count{" + labels + "} 7\n")
        .doesNotContain("le=\"3600.0\"");
    assertThat(text).as("no histogram before Envoy has one (first flush): the local cluster has none")
        .doesNotContain("tether_sc_target_response_time_seconds_count{direction=\"inbound\"");
  }

  @Test
  void inboundHttpCountsTheListenersRequestsAndTheAppsAnswers() throws Exception {
    String text = scrape("pay", Set.of("pay"));
    String in = "{direction=\"inbound\",namespace=\"prod\",service=\"pay\"}";
    assertThat(text).contains("tether_sc_request_count_total" + in + " 5.0\n")
        .contains("tether_sc_grpc_request_count_total" + in + " 5.0\n")
        .contains("tether_sc_httpcode_target_2xx_count_total" + in + " 4.0\n")
        .contains("tether_sc_httpcode_target_4xx_count_total" + in + " 1.0\n")
        .contains("tether_sc_active_connection_count" + in + " 2.0\n")
        .contains("tether_sc_new_connection_count_total" + in + " 6.0\n")
        .contains("tether_sc_processed_bytes_total" + in + " 30.0\n");
    assertThat(scrape("pay", Set.of())).as("not a grpc service").doesNotContain("tether_sc_grpc_request_count_total{");
  }

  @Test
  void inboundTcpHasConnectionsAndBytesButNoRequests() throws Exception {
    String text = scrape("pay", Set.of());
    String in = "{direction=\"inbound\",namespace=\"prod\",service=\"db\"}";
    assertThat(text).contains("tether_sc_active_connection_count" + in + " 3.0\n")
        .contains("tether_sc_new_connection_count_total" + in + " 8.0\n")
        .contains("tether_sc_processed_bytes_total" + in + " 10.0\n")
        .doesNotContain("tether_sc_request_count_total" + in);
  }

  @Test
  void authorizationDenialsAreCountedPerServedServiceFromItsListenersRbacStats() throws Exception {
    String text = scrape("pay", Set.of());
    assertThat(text).contains("tether_sc_authz_denied_total{namespace=\"prod\",service=\"pay\"} 3.0\n")
        .contains("tether_sc_authz_denied_total{namespace=\"prod\",service=\"db\"} 4.0\n")
        .doesNotContain("tether_sc_authz_denied_total{direction");
  }

  @Test
  void aClientOnlyTasksOutboundSeriesHaveAnEmptyService() throws Exception {
    assertThat(scrape(null, Set.of()))
        .contains("tether_sc_request_count_total{direction=\"outbound\",namespace=\"prod\",service=\"\",target=\"web\"} 7.0\n");
  }
}
