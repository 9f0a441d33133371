package io.tether.xds.node;

/**
 * What Tether learned from a node's first request: who it is and which group it belongs to.
 *
 * @param mode {@code client-and-server}, {@code client-only} or {@code server-only}, as the node declared it
 *     (or its kind's default)
 */
public record NodeIdentity(String nodeId, String cluster, String userAgent, String mode, GroupKey group) {
  public ProxyKey key() {
    return new ProxyKey(group.namespace(), nodeId);
  }
}
