package io.tether.agent.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Set;

/**
 * Service Connect's metrics of one task, derived from one read of its Envoy's stats; pure. Envoy's
 * resources are named by the control plane (xds-server's ResourceNames, docs/architecture.md): a served
 * service {@code S} has the cluster {@code local:S} (to the app) behind the ingress listener whose HTTP
 * or TCP stats prefix is {@code ingress_S}; a called service {@code T} of namespace {@code N} is the
 * cluster {@code T.N}, and its subset {@code U} the cluster {@code T~U.N} (series with {@code target="T"} and
 * {@code subset="U"}). In stat names Envoy writes ':' as '_'. The mapping of each metric to its
 * stats, and where it is approximate, is in docs/task-metrics.md.
 */
public final class ServiceConnectMetrics {
  private ServiceConnectMetrics() {}

  static final String LOCAL_CLUSTER = "local:";
  /** Between a service and its subset in a subset's cluster name ({@code web~v2.prod}). */
  static final char SUBSET_SEPARATOR = '~';
  private static final String[] CODE_CLASSES = {"2xx", "3xx", "4xx", "5xx"};
  private static final List<ScMetric> CODE_METRICS = List.of(ScMetric.HTTPCODE_TARGET_2XX_COUNT,
      ScMetric.HTTPCODE_TARGET_3XX_COUNT, ScMetric.HTTPCODE_TARGET_4XX_COUNT, ScMetric.HTTPCODE_TARGET_5XX_COUNT);

  /**
   * Who the task is, for the labels.
   *
   * @param service the service the task serves, or "" for a client-only task (its outbound series)
   * @param grpcServices the served services whose appProtocol is grpc
   */
  public record Task(String namespace, String service, Set<String> grpcServices) {
    public Task {
      service = service == null ? "" : service;
      grpcServices = Set.copyOf(grpcServices);
    }
  }

  public static MetricSnapshots derive(EnvoyStats stats, Task task) {
    Families out = new Families();
    String targetSuffix = "." + task.namespace();
    for (EnvoyStats.Cluster cluster : stats.clusters()) {
      String prefix = "cluster." + cluster.name().replace(':', '_') + ".";
      if (cluster.name().startsWith(LOCAL_CLUSTER)) {
        inbound(out, stats, task, cluster.name().substring(LOCAL_CLUSTER.length()), prefix);
      } else if (cluster.name().endsWith(targetSuffix)) { // the xDS cluster and app forwarders end otherwise
        String target = cluster.name().substring(0, cluster.name().length() - targetSuffix.length());
        outbound(out, stats, task, target, prefix, cluster);
      }
    }
    return out.build();
  }

  /** Inbound to served service {@code service}: its ingress listener's stats, and its local cluster's for the app's answers. */
  private static void inbound(Families out, EnvoyStats stats, Task task, String service, String cluster) {
    Labels labels = Labels.of("direction", "inbound", "namespace", task.namespace(), "service", service);
    String http = "http.ingress_" + service + ".";
    boolean isHttp = stats.has(http + "downstream_rq_total");
    String listener = isHttp ? http : "tcp.ingress_" + service + ".";
    if (isHttp) {
      out.add(ScMetric.REQUEST_COUNT, labels, stats.value(http + "downstream_rq_total"));
      if (task.grpcServices().contains(service)) {
        out.add(ScMetric.GRPC_REQUEST_COUNT, labels, stats.value(http + "downstream_rq_total"));
      }
      responses(out, stats, cluster, labels);
    }
    // A TCP proxy opens one connection to the app per caller's connection, and counts no open ones itself.
    out.add(ScMetric.ACTIVE_CONNECTION_COUNT, labels,
        stats.value(isHttp ? http + "downstream_cx_active" : cluster + "upstream_cx_active"));
    out.add(ScMetric.NEW_CONNECTION_COUNT, labels, stats.value(listener + "downstream_cx_total"));
    out.add(ScMetric.PROCESSED_BYTES, labels, bytes(stats, listener + "downstream_cx"));
    // Both RBAC filters of a listener (DENY rules, then the ALLOW default) count into one rbac.denied.
    out.add(ScMetric.AUTHZ_DENIED, Labels.of("namespace", task.namespace(), "service", service),
        stats.value(listener + "rbac.denied"));
  }

  /**
   * Outbound to target service {@code target} ({@code T}, or {@code T~U} for its subset {@code U}): its
   * cluster's upstream stats, and each endpoint's requests.
   */
  private static void outbound(Families out, EnvoyStats stats, Task task, String target, String cluster,
      EnvoyStats.Cluster hosts) {
    int tilde = target.indexOf(SUBSET_SEPARATOR);
    Labels labels = Labels.of("direction", "outbound", "namespace", task.namespace(), "service", task.service(),
        "target", tilde < 0 ? target : target.substring(0, tilde));
    if (tilde >= 0) {
      labels = labels.add("subset", target.substring(tilde + 1));
    }
    out.add(ScMetric.REQUEST_COUNT, labels, stats.value(cluster + "upstream_rq_total"));
    responses(out, stats, cluster, labels);
    for (EnvoyStats.Host host : hosts.hosts()) {
      out.add(ScMetric.REQUEST_COUNT_PER_TARGET, labels.add("endpoint", host.address()),
          host.stats().getOrDefault("rq_total", 0L));
    }
    out.add(ScMetric.ACTIVE_CONNECTION_COUNT, labels, stats.value(cluster + "upstream_cx_active"));
    out.add(ScMetric.NEW_CONNECTION_COUNT, labels, stats.value(cluster + "upstream_cx_total"));
    out.add(ScMetric.TARGET_PROCESSED_BYTES, labels, bytes(stats, cluster + "upstream_cx"));
  }

  /** The target's answers as a cluster's upstream stats count them: by class, and their time. */
  private static void responses(Families out, EnvoyStats stats, String cluster, Labels labels) {
    for (int i = 0; i < CODE_CLASSES.length; i++) {
      out.add(CODE_METRICS.get(i), labels, stats.value(cluster + "upstream_rq_" + CODE_CLASSES[i]));
    }
    List<EnvoyStats.Bucket> time = stats.histograms().get(cluster + "upstream_rq_time");
    if (time != null && !time.isEmpty()) { // Envoy has none until its first stats flush after a request
      out.addHistogram(ScMetric.TARGET_RESPONSE_TIME, labels, time);
    }
  }

  private static long bytes(EnvoyStats stats, String prefix) {
    return stats.value(prefix + "_rx_bytes_total") + stats.value(prefix + "_tx_bytes_total");
  }
}
