package io.tether.model;

/**
 * What a service's ingress accepts (docs/security.md "mutual TLS: tls.mode"): mutual TLS only, both
 * mutual TLS and plaintext, or plaintext only (callers then send to it in plaintext too).
 */
public enum TlsMode {
  STRICT, PERMISSIVE, DISABLED
}
