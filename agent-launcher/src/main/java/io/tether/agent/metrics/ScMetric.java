package io.tether.agent.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The metric families a task's {@code /metrics} exports: Service Connect's CloudWatch metrics under
 * Prometheus names. Which Envoy stat each is derived from, and where that is approximate, is in
 * docs/task-metrics.md; {@link ServiceConnectMetrics} derives them.
 */
public enum ScMetric {
  REQUEST_COUNT("tether_sc_request_count", Type.COUNTER, "RequestCount: requests the proxy handled, "
      + "inbound (to this task's service) or outbound (to a target service)"),
  HTTPCODE_TARGET_2XX_COUNT("tether_sc_httpcode_target_2xx_count", Type.COUNTER,
      "HTTPCode_Target_2XX_Count: responses 200-299 from the target (the app inbound, the called task outbound)"),
  HTTPCODE_TARGET_3XX_COUNT("tether_sc_httpcode_target_3xx_count", Type.COUNTER,
      "HTTPCode_Target_3XX_Count: responses 300-399 from the target"),
  HTTPCODE_TARGET_4XX_COUNT("tether_sc_httpcode_target_4xx_count", Type.COUNTER,
      "HTTPCode_Target_4XX_Count: responses 400-499 from the target"),
  HTTPCODE_TARGET_5XX_COUNT("tether_sc_httpcode_target_5xx_count", Type.COUNTER,
      "HTTPCode_Target_5XX_Count: responses 500-599 from the target"),
  GRPC_REQUEST_COUNT("tether_sc_grpc_request_count", Type.COUNTER,
      "GrpcRequestCount: inbound requests to a service whose appProtocol is grpc"),
  REQUEST_COUNT_PER_TARGET("tether_sc_request_count_per_target", Type.COUNTER,
      "RequestCountPerTarget: outbound requests per endpoint of the target (average them for CloudWatch's figure)"),
  ACTIVE_CONNECTION_COUNT("tether_sc_active_connection_count", Type.GAUGE,
      "ActiveConnectionCount: open connections, from callers inbound, to the target outbound"),
  NEW_CONNECTION_COUNT("tether_sc_new_connection_count", Type.COUNTER,
      "NewConnectionCount: connections opened, from callers inbound, to the target outbound"),
  PROCESSED_BYTES("tether_sc_processed_bytes", Type.COUNTER,
      "ProcessedBytes: bytes received and sent on inbound connections"),
  TARGET_PROCESSED_BYTES("tether_sc_target_processed_bytes", Type.COUNTER,
      "TargetProcessedBytes: bytes received and sent on connections to the target"),
  TARGET_RESPONSE_TIME("tether_sc_target_response_time_seconds", Type.HISTOGRAM,
      "TargetResponseTime: time from the request to the target's complete response"),
  AUTHZ_DENIED("tether_sc_authz_denied", Type.COUNTER,
      "Calls to this task's service its authorization denied (docs/security.md): HTTP 403s, gRPC PERMISSION_DENIED, "
          + "closed tcp connections");

  /** How a family is written: counters get {@code _total}, histograms {@code _bucket} and {@code _count}. */
  public enum Type { COUNTER, GAUGE, HISTOGRAM }

  public final String family;
  public final Type type;
  public final String help;

  ScMetric(String family, Type type, String help) {
    this.family = family;
    this.type = type;
    this.help = help;
  }

  /** The series names this family appears under in the text format, as PromQL names them. */
  public List<String> seriesNames() {
    return switch (type) {
      case COUNTER -> List.of(family + "_total");
      case GAUGE -> List.of(family);
      case HISTOGRAM -> List.of(family + "_bucket", family + "_count");
    };
  }

  /** Every series name a task exports. */
  public static List<String> allSeriesNames() {
    List<String> names = new ArrayList<>();
    for (ScMetric m : values()) {
      names.addAll(m.seriesNames());
    }
    return names;
  }
}
