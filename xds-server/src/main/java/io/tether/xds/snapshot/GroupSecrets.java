package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.tether.xds.cache.ChangeStamp;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.identity.LeafIssuer;
import io.tether.xds.identity.MeshIdentities;
import io.tether.xds.node.GroupKey;
import io.tether.xds.render.TrustDomain;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SDS secrets of Envoy groups (docs/security.md "Certificates over SDS"): the leaf a group calls with
 * ({@code tether/identity}), the leaf of each service it serves ({@code tether/svc/<name>}, presented on
 * that service's ingress) and the trust bundle; and their renewal, published to the groups whose held
 * leaf is no longer the current one. Used by the publisher's thread alone, like the rest of its state.
 */
final class GroupSecrets {
  private final MeshIdentities identities;
  /** Per Envoy group, the SPIFFE ID of each leaf secret it holds, by secret name. */
  private final Map<GroupKey, Map<String, String>> leaves = new HashMap<>();
  /** The issuer's generation when the last sweep of {@link #renew} began; -1 before the first. */
  private long sweptGeneration = -1;

  GroupSecrets(MeshIdentities identities) {
    this.identities = identities;
  }

  /** An Envoy group's secrets, its leaves issued now if none is held; nothing for others. */
  void addTo(GroupKey group, SnapshotDelta delta) {
    if (!group.getsSecrets()) {
      return;
    }
    Map<String, String> held = new LinkedHashMap<>();
    held.put(TrustDomain.IDENTITY_SECRET, identities.spiffeId(group));
    held.putAll(identities.servingIds(group));
    leaves.put(group, held);
    held.forEach((name, id) -> delta.put(ResourceType.SECRET, name, identities.leafSecret(name, id)));
    delta.put(ResourceType.SECRET, TrustDomain.TRUST_BUNDLE_SECRET, identities.trustBundleSecret());
  }

  /**
   * Re-issues the leaves past half their life and publishes, once per group, the leaf secrets whose held
   * serial is not the current one; a group holding the current serials is no change. Costs nothing
   * while no leaf is due and none was issued since the last sweep: every group then holds the current ones.
   */
  void renew(TetherCache cache, long revision) {
    LeafIssuer issuer = identities.issuer();
    long generation = issuer.generation();
    if (generation == sweptGeneration && !issuer.renewalDue()) {
      return;
    }
    sweptGeneration = generation;
    Map<String, Map<String, VersionedResource<?>>> current = new HashMap<>(); // per SPIFFE ID, per secret name
    leaves.forEach((group, held) -> {
      GroupSnapshot snapshot = cache.snapshot(group).orElse(null);
      if (snapshot == null) {
        return;
      }
      var secrets = snapshot.of(ResourceType.SECRET).resources();
      Map<String, VersionedResource<?>> renewed = new LinkedHashMap<>();
      held.forEach((name, id) -> {
        VersionedResource<?> secret = current.computeIfAbsent(id, k -> new HashMap<>())
            .computeIfAbsent(name, n -> identities.leafSecret(n, id));
        var mine = secrets.get(name);
        if (mine == null || !mine.version().equals(secret.version())) {
          renewed.put(name, secret);
        }
      });
      if (!renewed.isEmpty()) {
        GroupSnapshot next = snapshot;
        for (var e : renewed.entrySet()) {
          next = next.with(ResourceType.SECRET, e.getKey(), e.getValue());
        }
        cache.publish(group, next, Map.of(ResourceType.SECRET, Set.copyOf(renewed.keySet())),
            ChangeStamp.initial(revision));
      }
    });
  }

  /** Forgets the groups not in {@code live}, and the leaves of identities no group holds any more. */
  void retain(Set<GroupKey> live) {
    leaves.keySet().retainAll(live);
    identities.issuer().retain(leaves.values().stream().flatMap(held -> held.values().stream())
        .collect(Collectors.toCollection(HashSet::new)));
  }
}
