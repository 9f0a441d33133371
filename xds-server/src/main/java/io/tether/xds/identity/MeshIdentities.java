package io.tether.xds.identity;

import io.envoyproxy.controlplane.cache.VersionedResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tether.xds.node.GroupKey;
import io.tether.xds.render.TrustDomain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mesh's identities as the xDS server serves them: which SPIFFE ID a group has
 * (docs/security.md "Identities"), its leaf, and the SDS secrets of an Envoy group.
 */
public final class MeshIdentities {
  /** What {@code --leaf-ttl} defaults to. */
  public static final Duration DEFAULT_LEAF_TTL = Duration.ofHours(24);

  private final TrustDomain trustDomain;
  private final LeafIssuer issuer;
  private final VersionedResource<?> trustBundle;

  public MeshIdentities(TrustDomain trustDomain, LeafIssuer issuer) {
    this.trustDomain = trustDomain;
    this.issuer = issuer;
    this.trustBundle = SdsSecrets.trustBundle(issuer.ca());
  }

  /**
   * Identities under a CA that lives in memory only, for an xDS server started without one (tests,
   * tools): Envoy groups still get both secrets, so a listener that references them does not stay
   * warming.
   */
  public static MeshIdentities ephemeral(MeterRegistry meters) {
    MeshCa ca = MeshCa.generate(TrustDomain.DEFAULT.name(), Instant.now());
    return new MeshIdentities(TrustDomain.DEFAULT, new LeafIssuer(ca, DEFAULT_LEAF_TTL, Clock.systemUTC(), meters));
  }

  public TrustDomain trustDomain() {
    return trustDomain;
  }

  public LeafIssuer issuer() {
    return issuer;
  }

  /** The group's SPIFFE ID: its identity's service, or the namespace's anonymous client. */
  public String spiffeId(GroupKey group) {
    return group.identity() == null ? trustDomain.anonymousClient(group.namespace())
        : trustDomain.service(group.namespace(), group.identity());
  }

  /** The SPIFFE ID of each service the group serves, by the name of the secret its ingress presents. */
  public Map<String, String> servingIds(GroupKey group) {
    Map<String, String> ids = new LinkedHashMap<>();
    group.served().forEach(s -> ids.put(TrustDomain.servingSecret(s.discoveryName()),
        trustDomain.service(group.namespace(), s.discoveryName())));
    return ids;
  }

  /** The secret {@code name} holding this SPIFFE ID's current leaf (issued or renewed now if due). */
  public VersionedResource<?> leafSecret(String name, String spiffeId) {
    return SdsSecrets.leaf(name, issuer.current(spiffeId));
  }

  public VersionedResource<?> trustBundleSecret() {
    return trustBundle;
  }
}
