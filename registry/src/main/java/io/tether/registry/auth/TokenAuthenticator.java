package io.tether.registry.auth;

import io.tether.model.json.Json;
import io.tether.model.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps bearer tokens to callers: those of the static tokens file, then the managed tokens the server
 * follows in etcd, if any (docs/security.md, "Tokens"); an expired managed token authenticates nobody.
 * Tokens are held only as SHA-256 digests, so the lookup is a hash-map probe on a digest rather than a
 * comparison of secrets. Immutable and thread-safe (the managed tokens change under it, atomically).
 */
public final class TokenAuthenticator {
  private static final int MIN_TOKEN_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** What every managed token starts with, so that a leaked one is recognisable (e.g. by secret scanners). */
  public static final String MANAGED_PREFIX = "tether_";
  private final Map<String, Caller> byDigest;
  private final ManagedTokens managed;

  private TokenAuthenticator(Map<String, Caller> byDigest, ManagedTokens managed) {
    this.byDigest = Map.copyOf(byDigest);
    this.managed = managed;
  }

  /** These static tokens, and besides them the managed ones. */
  public TokenAuthenticator withManaged(ManagedTokens tokens) {
    return new TokenAuthenticator(byDigest, tokens);
  }

  /** Tells {@code listener} of managed tokens that stopped being valid; nothing when there are none. */
  public void onInvalidated(Consumer<Set<String>> listener) {
    if (managed != null) {
      managed.onInvalidated(listener);
    }
  }

  public static TokenAuthenticator of(List<TokenFile.Entry> entries) {
    Map<String, Caller> map = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      TokenFile.Entry e = entries.get(i);
      String where = "tokens[" + i + "]";
      if (e.token() == null || e.token().length() < MIN_TOKEN_LENGTH) {
        throw new IllegalArgumentException(where + ".token must be at least " + MIN_TOKEN_LENGTH + " characters");
      }
      if (e.role() == null) {
        throw new IllegalArgumentException(where + ".role is required (ADMIN, READER or AGENT)");
      }
      if ((e.role() == Role.AGENT) != (e.namespace() != null)) {
        throw new IllegalArgumentException(where + ": agent tokens, and only they, name a namespace");
      }
      if (e.namespace() != null && !Names.isLabel(e.namespace())) {
        throw new IllegalArgumentException(where + ".namespace must be a DNS label");
      }
      String name = e.name() != null ? e.name() : e.role().name().toLowerCase() + "-" + i;
      if (map.put(digest(e.token()), new Caller(name, e.role(), e.namespace())) != null) {
        throw new IllegalArgumentException(where + ".token is listed twice");
      }
    }
    return new TokenAuthenticator(map, null);
  }

  /** A tokens file ({@code --tokens-file}), JSON or YAML like every file Tether reads. */
  public static TokenAuthenticator fromFile(Path file) {
    try {
      byte[] json = io.tether.client.cli.Documents.asJson(file.toString(), Files.readAllBytes(file));
      TokenFile parsed = Json.parse(json, TokenFile.class);
      return of(parsed.tokens() == null ? List.of() : parsed.tokens());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read token file " + file, e);
    }
  }

  /** The caller for an {@code Authorization} header value, if it carries a known bearer token. */
  public Optional<Caller> authenticate(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String digest = digest(authorizationHeader.substring(7).trim());
    Caller known = byDigest.get(digest);
    if (known != null || managed == null) {
      return Optional.ofNullable(known);
    }
    return managed.byDigest(digest).filter(t -> !t.expiredAt(Instant.now())).map(ManagedToken::caller);
  }

  /** A fresh random token: 32 bytes, URL-safe base64. */
  public static String newToken() {
    return randomUrlSafe(32);
  }

  /** A fresh managed token: {@link #MANAGED_PREFIX} and 32 random bytes, URL-safe base64. */
  public static String newManagedToken() {
    return MANAGED_PREFIX + randomUrlSafe(32);
  }

  /** {@code bytes} random bytes, URL-safe base64 without padding (also a managed token's id). */
  public static String randomUrlSafe(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The SHA-256 digest of a token, hex: all that is ever kept of one. */
  public static String digest(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
