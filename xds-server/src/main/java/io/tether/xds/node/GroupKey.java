package io.tether.xds.node;

import java.util.List;

/**
 * The nodes that must see exactly the same resources: same namespace, same kind of client, same
 * served services. Everything is rendered per group, never per node; a thousand sidecars of one
 * service share one group and one snapshot.
 *
 * @param served sorted by discovery name; always empty for proxyless clients
 */
public record GroupKey(String namespace, ProxyKind kind, List<ServedService> served) {
  public GroupKey {
    served = List.copyOf(served);
  }

  public static GroupKey grpc(String namespace) {
    return new GroupKey(namespace, ProxyKind.GRPC, List.of());
  }
}
