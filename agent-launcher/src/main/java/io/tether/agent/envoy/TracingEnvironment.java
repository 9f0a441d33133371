package io.tether.agent.envoy;

import io.tether.agent.bootstrap.BootstrapSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The environment an agent starts Envoy with so that its spans say who sent them. A namespace's egress
 * listeners are shared by every caller, so their tracer cannot name the caller in config: it reads
 * {@code OTEL_RESOURCE_ATTRIBUTES} instead (the OpenTelemetry environment resource detector), and that
 * is the bootstrap's cluster (the served service, a task family, or {@code tether-host}) and namespace.
 * An {@code OTEL_RESOURCE_ATTRIBUTES} the agent itself was given is the operator's and is left as it is.
 */
public final class TracingEnvironment {
  private TracingEnvironment() {}

  static final String VARIABLE = "OTEL_RESOURCE_ATTRIBUTES";

  public static Map<String, String> of(BootstrapSpec spec) {
    if (System.getenv(VARIABLE) != null) {
      return Map.of();
    }
    return Map.of(VARIABLE, attributes(spec.cluster(), spec.namespace()));
  }

  static String attributes(String serviceName, String namespace) {
    return "service.name=" + encode(serviceName) + ",service.namespace=" + encode(namespace);
  }

  /** The W3C Baggage encoding the variable uses: anything but unreserved characters percent-encoded. */
  private static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
