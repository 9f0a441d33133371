package io.tether.registry.api;

import io.tether.registry.auth.ManagedToken;
import java.time.Instant;
import java.util.Locale;

/**
 * A managed token as the API shows it: never its digest; its secret only in the answer to its mint.
 * {@code state} is {@code active} or {@code expired}.
 */
record TokenView(String id, String name, String role, String namespace, Instant createdAt, Instant expiresAt,
    String state, String token) {

  static TokenView of(ManagedToken t, Instant now) {
    return new TokenView(t.id(), t.name(), t.role().name().toLowerCase(Locale.ROOT), t.namespace(), t.createdAt(),
        t.expiresAt(), t.expiredAt(now) ? "expired" : "active", null);
  }

  static TokenView minted(ManagedToken t, String secret) {
    return new TokenView(t.id(), t.name(), t.role().name().toLowerCase(Locale.ROOT), t.namespace(), t.createdAt(),
        t.expiresAt(), "active", secret);
  }
}
