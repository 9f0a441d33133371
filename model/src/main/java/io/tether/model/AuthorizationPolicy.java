package io.tether.model;

/**
 * The policy field {@code authorization}: what the callee's sidecar does with a call no rule matches
 * (docs/security.md "Authorization"). Null means inherited; Service Connect's default is ALLOW.
 */
public record AuthorizationPolicy(AuthorizationAction defaultAction) {
  /** This value where set, else the fallback's. */
  public AuthorizationPolicy orElse(AuthorizationPolicy fallback) {
    if (fallback == null) {
      return this;
    }
    return new AuthorizationPolicy(Policies.first(defaultAction, fallback.defaultAction));
  }
}
