package io.tether.registry.auth;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The managed tokens a server knows now (the store's {@code TokenDirectory} follows them in etcd), as
 * {@link TokenAuthenticator} and the xDS server's revocations need them.
 */
public interface ManagedTokens {
  /** The token whose secret has this SHA-256 digest (hex), expired or not. */
  Optional<ManagedToken> byDigest(String sha256);

  /**
   * Tells {@code listener} the ids of tokens that stopped being valid (revoked, or expired), on the
   * follower's thread, within a second of it.
   */
  void onInvalidated(Consumer<Set<String>> listener);
}
