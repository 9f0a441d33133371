package io.tether.model;

/** The check the agent runs against its app; protocol is http, tcp or grpc. */
public record HealthCheck(
    String protocol,
    String path,
    Integer intervalSeconds,
    Integer timeoutSeconds,
    Integer healthyThreshold,
    Integer unhealthyThreshold) {

  public HealthCheck orElse(HealthCheck fallback) {
    if (fallback == null) {
      return this;
    }
    return new HealthCheck(
        Policies.first(protocol, fallback.protocol),
        Policies.first(path, fallback.path),
        Policies.first(intervalSeconds, fallback.intervalSeconds),
        Policies.first(timeoutSeconds, fallback.timeoutSeconds),
        Policies.first(healthyThreshold, fallback.healthyThreshold),
        Policies.first(unhealthyThreshold, fallback.unhealthyThreshold));
  }
}
