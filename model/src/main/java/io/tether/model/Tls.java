package io.tether.model;

/** The {@code tls} policy field: the service's {@link TlsMode}; null inherits. */
public record Tls(TlsMode mode) {

  /** This value where set, else the fallback's. */
  public Tls orElse(Tls fallback) {
    if (fallback == null) {
      return this;
    }
    return new Tls(Policies.first(mode, fallback.mode));
  }
}
