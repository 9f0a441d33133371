package io.tether.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.util.Map;

/**
 * One task's address for a service. Endpoints registered by agents hang off the agent's lease
 * ({@code leaseId}), so a host that dies takes its endpoints with it when the lease expires.
 */
public record Endpoint(
    String address,
    Integer port,
    String zone,
    Health health,
    String taskId,
    String host,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata,
    @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = LeaseIdJson.class) Long leaseId,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels) {

  /**
   * The metadata key and value an agent registers an endpoint with when the port is its Envoy's
   * ingress: callers' sidecars then reach it over mutual TLS (docs/security.md "mutual TLS: tls.mode").
   * An endpoint without it (a direct REST registration, a proxyless app) is called in plaintext.
   */
  public static final String TLS_KEY = "tether.io/tls";
  public static final String TLS_MESH = "mesh";

  public Endpoint {
    metadata = metadata == null ? Map.of() : Lists.copyKeepingNulls(metadata);
    labels = labels == null ? Map.of() : Lists.copyKeepingNulls(labels);
  }

  /** Without labels: in no subset (README "Canaries and test traffic"). */
  public Endpoint(String address, Integer port, String zone, Health health, String taskId, String host,
      Map<String, String> metadata, Long leaseId) {
    this(address, port, zone, health, taskId, host, metadata, leaseId, Map.of());
  }

  public Endpoint withHealth(Health newHealth) {
    return new Endpoint(address, port, zone, newHealth, taskId, host, metadata, leaseId, labels);
  }

  /** Whether an agent's Envoy fronts this endpoint ({@link #TLS_KEY}). */
  public boolean meshTls() {
    return TLS_MESH.equals(metadata.get(TLS_KEY));
  }

  /** Endpoints registered without a health are taken to be HEALTHY: the agent registers after its check passes. */
  public Health healthOrDefault() {
    return health == null ? Health.HEALTHY : health;
  }
}
