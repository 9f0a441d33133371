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
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps bearer tokens to callers. Tokens are held only as SHA-256 digests, so the lookup is a hash-map
 * probe on a digest rather than a comparison of secrets. Immutable and thread-safe.
 */
public final class TokenAuthenticator {
  private static final int MIN_TOKEN_LENGTH = 16;
  private final Map<String, Caller> byDigest;

  private TokenAuthenticator(Map<String, Caller> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
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
    return new TokenAuthenticator(map);
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
    return Optional.ofNullable(byDigest.get(digest(authorizationHeader.substring(7).trim())));
  }

  /** A fresh random token: 32 bytes, URL-safe base64. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String digest(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
