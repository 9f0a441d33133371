package io.tether.registry.auth;

import java.time.Instant;

/**
 * A token minted through the API, as stored at {@code tokens/<id>} (docs/security.md, "Tokens"): the
 * SHA-256 digest of the secret, never the secret. {@code namespace} is set for agent tokens only;
 * {@code expiresAt} is null for a token that does not expire.
 */
public record ManagedToken(String id, String name, Role role, String namespace, String sha256,
    Instant createdAt, Instant expiresAt) {

  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** Without the digest: a record printed in a log or an error must not help anyone guess the token. */
  @Override
  public String toString() {
    return "ManagedToken[id=" + id + ", name=" + name + ", role=" + role + ", namespace=" + namespace
        + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt + "]";
  }

  /** The caller this token authenticates. */
  public Caller caller() {
    return new Caller(name, role, namespace, id);
  }
}
