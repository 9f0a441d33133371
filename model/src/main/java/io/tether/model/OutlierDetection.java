package io.tether.model;

/** Passive health: eject a replica after consecutive 5xx (or failing gRPC calls). */
public record OutlierDetection(
    Integer consecutive5xx, Integer intervalMs, Integer baseEjectionTimeMs, Integer maxEjectionPercent) {

  public OutlierDetection orElse(OutlierDetection fallback) {
    if (fallback == null) {
      return this;
    }
    return new OutlierDetection(
        Policies.first(consecutive5xx, fallback.consecutive5xx),
        Policies.first(intervalMs, fallback.intervalMs),
        Policies.first(baseEjectionTimeMs, fallback.baseEjectionTimeMs),
        Policies.first(maxEjectionPercent, fallback.maxEjectionPercent));
  }
}
