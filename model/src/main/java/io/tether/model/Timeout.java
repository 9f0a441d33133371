package io.tether.model;

/** Idle and per-request timeouts in seconds; 0 disables either. */
public record Timeout(Integer idleTimeoutSeconds, Integer perRequestTimeoutSeconds) {

  /** Field by field: this value where set, else the fallback's. */
  public Timeout orElse(Timeout fallback) {
    if (fallback == null) {
      return this;
    }
    return new Timeout(
        Policies.first(idleTimeoutSeconds, fallback.idleTimeoutSeconds),
        Policies.first(perRequestTimeoutSeconds, fallback.perRequestTimeoutSeconds));
  }
}
