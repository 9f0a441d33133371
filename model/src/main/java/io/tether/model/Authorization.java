package io.tether.model;

import java.util.List;

/**
 * An authorization rule of a namespace (docs/security.md "Authorization"): calls from {@code from} (a
 * discoveryName, {@code *} for any mesh caller, or {@code ns/svc} or {@code ns/*} for callers of another
 * namespace) to the service {@code to} are allowed or denied,
 * all of them or those matching one of {@code http}. Stored at {@code authorizations/<ns>/<name>}.
 */
public record Authorization(String name, String from, String to, AuthorizationAction action, List<HttpMatch> http) {
  /** {@code from} value that names every mesh caller. */
  public static final String ANY_CALLER = "*";

  public Authorization {
    http = http == null ? List.of() : Lists.copyKeepingNulls(http);
  }

  /** ALLOW unless the rule says DENY. */
  public AuthorizationAction actionOrDefault() {
    return action == null ? AuthorizationAction.ALLOW : action;
  }

  public Authorization withName(String newName) {
    return new Authorization(newName, from, to, action, http);
  }
}
