package io.tether.xds.render;

/**
 * The mesh's SPIFFE trust domain ({@code tether server --trust-domain}), and the identities in it
 * (docs/security.md "Identities"). The same on every replica: identities are compared across them.
 */
public record TrustDomain(String name) {
  /** What {@code --trust-domain} defaults to. */
  public static final TrustDomain DEFAULT = new TrustDomain("tether.local");

  /**
   * The SDS secret of the identity a proxy calls as (its egress clusters present it): one name for every
   * group, its content that group's.
   */
  public static final String IDENTITY_SECRET = "tether/identity";
  /** What the SDS secret of a served service's leaf is named after: {@link #servingSecret}. */
  public static final String SERVING_SECRET_PREFIX = "tether/svc/";
  /** The SDS secret of the CA certificates that verify peers. */
  public static final String TRUST_BUNDLE_SECRET = "tether/trust-bundle";

  /**
   * {@code tether/svc/<service>}: the SDS secret of the leaf a proxy presents on {@code service}'s ingress
   * listener, so that a proxy serving several services answers each as that service.
   */
  public static String servingSecret(String service) {
    return SERVING_SECRET_PREFIX + service;
  }

  public TrustDomain {
    if (name == null || name.isEmpty() || !name.chars().allMatch(c -> c == '.' || c == '-'
        || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      throw new IllegalArgumentException("a trust domain is lower-case letters, digits, '.' and '-': " + name);
    }
  }

  /** {@code spiffe://<domain>/ns/<namespace>/svc/<service>}: a service's identity. */
  public String service(String namespace, String service) {
    return namespacePrefix(namespace) + "svc/" + service;
  }

  /** {@code spiffe://<domain>/ns/<namespace>/client}: the identity of a proxy that calls as no service. */
  public String anonymousClient(String namespace) {
    return namespacePrefix(namespace) + "client";
  }

  /** {@code spiffe://<domain>/ns/<namespace>/}: what every identity of the namespace starts with. */
  public String namespacePrefix(String namespace) {
    return "spiffe://" + name + "/ns/" + namespace + "/";
  }

  /** {@code spiffe://<domain>/}: what every identity of the mesh starts with. */
  public String prefix() {
    return "spiffe://" + name + "/";
  }
}
