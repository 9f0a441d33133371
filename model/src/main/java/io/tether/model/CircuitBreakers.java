package io.tether.model;

/** Upper bounds a proxy enforces per upstream cluster. */
public record CircuitBreakers(
    Integer maxConnections, Integer maxPendingRequests, Integer maxRequests, Integer maxRetries) {

  public CircuitBreakers orElse(CircuitBreakers fallback) {
    if (fallback == null) {
      return this;
    }
    return new CircuitBreakers(
        Policies.first(maxConnections, fallback.maxConnections),
        Policies.first(maxPendingRequests, fallback.maxPendingRequests),
        Policies.first(maxRequests, fallback.maxRequests),
        Policies.first(maxRetries, fallback.maxRetries));
  }
}
