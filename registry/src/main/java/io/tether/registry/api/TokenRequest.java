package io.tether.registry.api;

import io.tether.model.ErrorCode;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import io.tether.registry.auth.ManagedToken;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/tokens}: {@code {"role": "agent"|"reader", "namespace", "name",
 * "ttlSeconds"}}, every rule checked here on the raw request, each failure naming its field.
 */
record TokenRequest(String role, String namespace, String name, Long ttlSeconds) {
  static final long MAX_TTL_SECONDS = Duration.ofDays(3650).toSeconds();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  /** The token's record, after checking every field: agent tokens, and only they, name a namespace. */
  ManagedToken mint(String id, String secret, Instant now) {
    Role parsed = parsedRole();
    if (parsed == Role.AGENT && namespace == null) {
      throw invalid("agent tokens need the namespace they act in", "namespace");
    }
    if (parsed == Role.READER && namespace != null) {
      throw invalid("reader tokens read every namespace: leave namespace out", "namespace");
    }
    if (namespace != null) {
      Names.requireLabel("namespace", namespace);
    }
    if (name != null && !NAME.matcher(name).matches()) {
      throw invalid("name must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit", "name");
    }
    if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS)) {
      throw invalid("ttlSeconds must be between 1 and " + MAX_TTL_SECONDS + " (ten years)", "ttlSeconds");
    }
    String shown = name != null ? name : parsed.name().toLowerCase(Locale.ROOT) + "-" + id;
    Instant expires = ttlSeconds == null ? null : now.plusSeconds(ttlSeconds);
    return new ManagedToken(id, shown, parsed, namespace, TokenAuthenticator.digest(secret), now, expires);
  }

  private Role parsedRole() {
    if (role == null) {
      throw invalid("role is required: agent or reader", "role");
    }
    return switch (role) {
      case "agent" -> Role.AGENT;
      case "reader" -> Role.READER;
      case "admin" -> throw invalid("managed tokens are agent or reader tokens; admin tokens come from the "
          + "tokens file (--tokens-file)", "role");
      default -> throw invalid("role must be agent or reader, not '" + role + "'", "role");
    };
  }

  private static RegistryException invalid(String message, String field) {
    return new RegistryException(ErrorCode.INVALID_ARGUMENT, message, field);
  }
}
