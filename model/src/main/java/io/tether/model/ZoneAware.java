package io.tether.model;

/**
 * The {@code zoneAware} policy field: whether callers prefer the endpoints of their own zone and fail over
 * to the other zones by priority (README "Zone-aware routing"); null inherits, default false.
 */
public record ZoneAware(Boolean enabled) {
  public static final ZoneAware OFF = new ZoneAware(false);

  /** This value where set, else the fallback's. */
  public ZoneAware orElse(ZoneAware fallback) {
    if (fallback == null) {
      return this;
    }
    return new ZoneAware(Policies.first(enabled, fallback.enabled));
  }

  /** True only when set to true: a null (inherited, not completed) value is off. */
  public boolean on() {
    return Boolean.TRUE.equals(enabled);
  }
}
