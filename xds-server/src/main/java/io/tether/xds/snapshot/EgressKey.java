package io.tether.xds.snapshot;

import io.tether.model.VipRange;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;

/**
 * What the namespace's services are rendered for: the groups with one key share one rendering of them
 * (clusters, client-alias listeners, routes). Nodes with a {@code vipRange} get their listeners at other
 * addresses, so the range is part of the key; served services are not, they add only ingress. Proxyless
 * clients with the {@code tether} certificate provider ({@link GroupKey#certificates}) get clusters with
 * mutual TLS, the others without: another key.
 */
record EgressKey(String namespace, ProxyKind kind, VipRange vipRange, boolean certificates) {
  EgressKey(String namespace, ProxyKind kind, VipRange vipRange) {
    this(namespace, kind, vipRange, false);
  }

  /** The group's key, or null for a server-only group, which calls no service and gets none of this. */
  static EgressKey of(GroupKey group) {
    return group.callsServices()
        ? new EgressKey(group.namespace(), group.kind(), group.vipRange(), group.certificates())
        : null;
  }
}
