package io.tether.registry.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.registry.auth.Role;

/** {@code tether_tokens{role, state}}: the managed tokens this server knows, active or expired (docs/metrics.md). */
public final class TokenMeters {
  private TokenMeters() {}

  public static void register(TokenDirectory tokens, MeterRegistry meters) {
    for (Role role : new Role[] {Role.AGENT, Role.READER}) {
      for (boolean expired : new boolean[] {false, true}) {
        Gauge.builder("tether.tokens", tokens, t -> t.count(role, expired))
            .description("managed tokens (docs/security.md, \"Tokens\"), by role and state")
            .tag("role", role.name().toLowerCase()).tag("state", expired ? "expired" : "active").register(meters);
      }
    }
  }
}
