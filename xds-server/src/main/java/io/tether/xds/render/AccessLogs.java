package io.tether.xds.render;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per request (HTTP) or connection (TCP) on Envoy's stdout, which the agent forwards
 * with the task's logs. Each line names its listener, so egress and ingress lines tell apart.
 */
final class AccessLogs {
  private AccessLogs() {}

  static final String STDOUT = "envoy.access_loggers.stdout";

  static AccessLog http(String listenerName) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("start_time", "%START_TIME%");
    fields.put("listener", listenerName);
    fields.put("method", "%REQ(:METHOD)%");
    fields.put("authority", "%REQ(:AUTHORITY)%");
    fields.put("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%");
    fields.put("protocol", "%PROTOCOL%");
    fields.put("response_code", "%RESPONSE_CODE%");
    fields.put("grpc_status", "%GRPC_STATUS%");
    fields.put("response_flags", "%RESPONSE_FLAGS%");
    fields.put("bytes_received", "%BYTES_RECEIVED%");
    fields.put("bytes_sent", "%BYTES_SENT%");
    fields.put("duration_ms", "%DURATION%");
    fields.put("upstream_cluster", "%UPSTREAM_CLUSTER%");
    fields.put("upstream_host", "%UPSTREAM_HOST%");
    fields.put("request_id", "%REQ(X-REQUEST-ID)%");
    return stdout(fields);
  }

  static AccessLog tcp(String listenerName) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("start_time", "%START_TIME%");
    fields.put("listener", listenerName);
    fields.put("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%");
    fields.put("response_flags", "%RESPONSE_FLAGS%");
    fields.put("bytes_received", "%BYTES_RECEIVED%");
    fields.put("bytes_sent", "%BYTES_SENT%");
    fields.put("duration_ms", "%DURATION%");
    fields.put("upstream_cluster", "%UPSTREAM_CLUSTER%");
    fields.put("upstream_host", "%UPSTREAM_HOST%");
    return stdout(fields);
  }

  private static AccessLog stdout(Map<String, String> fields) {
    Struct.Builder json = Struct.newBuilder();
    fields.forEach((key, format) -> json.putFields(key, Value.newBuilder().setStringValue(format).build()));
    StdoutAccessLog log = StdoutAccessLog.newBuilder()
        // A field with nothing to say (no upstream host on a 503 UH, no gRPC status on plain HTTP) is
        // left out rather than logged as null; numeric operators stay JSON numbers.
        .setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(json).setOmitEmptyValues(true))
        .build();
    return AccessLog.newBuilder().setName(STDOUT).setTypedConfig(Protos.any(log)).build();
  }
}
