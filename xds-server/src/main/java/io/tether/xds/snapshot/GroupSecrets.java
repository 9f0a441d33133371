package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.xds.cache.ChangeStamp;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.identity.MeshIdentities;
import io.tether.xds.node.GroupKey;
import io.tether.xds.render.TrustDomain;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The SDS secrets of Envoy groups (docs/security.md "Certificates over SDS"): which groups hold which
 * identity, so that a renewal is published to that identity's groups only. Used by the publisher's
 * thread alone, like the rest of its state.
 */
final class GroupSecrets {
  private final MeshIdentities identities;
  /** Per SPIFFE ID that some Envoy group has, those groups. */
  private final Map<String, Set<GroupKey>> identityGroups = new HashMap<>();

  GroupSecrets(MeshIdentities identities) {
    this.identities = identities;
  }

  /** An Envoy group's two secrets, its identity's leaf issued now if none is held; nothing for others. */
  void addTo(GroupKey group, SnapshotDelta delta) {
    if (!group.getsSecrets()) {
      return;
    }
    String id = identities.spiffeId(group);
    identityGroups.computeIfAbsent(id, k -> new HashSet<>()).add(group);
    delta.put(ResourceType.SECRET, TrustDomain.IDENTITY_SECRET, identities.identitySecret(id));
    delta.put(ResourceType.SECRET, TrustDomain.TRUST_BUNDLE_SECRET, identities.trustBundleSecret());
  }

  /**
   * Re-issues the leaves past half their life and publishes each new identity secret to the groups of
   * that identity only; a group already holding the current serial is no change.
   */
  void renew(TetherCache cache, long revision) {
    identityGroups.forEach((id, groups) -> {
      var secret = identities.identitySecret(id);
      for (GroupKey group : groups) {
        GroupSnapshot current = cache.snapshot(group).orElse(null);
        if (current == null) {
          continue;
        }
        var held = current.of(ResourceType.SECRET).resources().get(TrustDomain.IDENTITY_SECRET);
        if (held == null || !held.version().equals(secret.version())) {
          cache.publish(group, current.with(ResourceType.SECRET, TrustDomain.IDENTITY_SECRET, secret),
              Map.of(ResourceType.SECRET, Set.of(TrustDomain.IDENTITY_SECRET)), ChangeStamp.initial(revision));
        }
      }
    });
  }

  /** Forgets the groups not in {@code live}, and the leaves of identities no group has any more. */
  void retain(Set<GroupKey> live) {
    identityGroups.values().forEach(groups -> groups.retainAll(live));
    identityGroups.values().removeIf(Set::isEmpty);
    identities.issuer().retain(identityGroups.keySet());
  }
}
