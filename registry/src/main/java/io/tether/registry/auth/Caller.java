package io.tether.registry.auth;

/**
 * An authenticated caller. {@code namespace} is set for agents only: the one namespace they act in.
 * {@code tokenId} names the managed token it authenticated with (docs/security.md, "Tokens"); null for a
 * token of the static tokens file, which cannot be revoked while the server runs.
 */
public record Caller(String name, Role role, String namespace, String tokenId) {

  public Caller(String name, Role role, String namespace) {
    this(name, role, namespace, null);
  }

  /** May read the given namespace's objects; {@code ns == null} asks about cluster-wide lists. */
  public boolean canRead(String ns) {
    return role != Role.AGENT || (ns != null && ns.equals(namespace));
  }

  /** May change namespaces and services. */
  public boolean canConfigure() {
    return role == Role.ADMIN;
  }

  /** May register endpoints and hold leases in the namespace. */
  public boolean canRegisterIn(String ns) {
    return role == Role.ADMIN || (role == Role.AGENT && ns != null && ns.equals(namespace));
  }
}
