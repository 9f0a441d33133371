package io.tether.xds.render;

import io.tether.model.AuthorizationAction;
import io.tether.model.Authorization;
import java.util.Comparator;
import java.util.List;

/**
 * What a callee's ingress enforces (docs/security.md "Authorization"): the rules whose {@code to} is the
 * service, in name order, the default that decides when none matches, and the trust domain the callers'
 * identities are in. {@link #NONE} (no rule, default ALLOW) renders no RBAC filter at all.
 */
public record IngressAuthorization(List<Authorization> rules, AuthorizationAction defaultAction,
    TrustDomain trustDomain) {
  public static final IngressAuthorization NONE =
      new IngressAuthorization(List.of(), AuthorizationAction.ALLOW, TrustDomain.DEFAULT);

  public IngressAuthorization {
    rules = rules.stream().sorted(Comparator.comparing(Authorization::name)).toList();
    defaultAction = defaultAction == null ? AuthorizationAction.ALLOW : defaultAction;
  }

  /** The rules of one action. */
  List<Authorization> withAction(AuthorizationAction action) {
    return rules.stream().filter(r -> r.actionOrDefault() == action).toList();
  }

  /** Whether any call can be denied: a DENY rule, or a DENY default. */
  boolean enforces() {
    return defaultAction == AuthorizationAction.DENY || !withAction(AuthorizationAction.DENY).isEmpty();
  }
}
