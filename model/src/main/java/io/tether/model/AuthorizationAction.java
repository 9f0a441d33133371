package io.tether.model;

/** What a matching authorization rule, or the default, does with a call (docs/security.md "Authorization"). */
public enum AuthorizationAction {
  ALLOW, DENY
}
