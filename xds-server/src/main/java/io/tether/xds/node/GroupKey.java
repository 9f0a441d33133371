package io.tether.xds.node;

import io.tether.model.VipRange;
import java.util.List;
import java.util.Objects;

/**
 * The nodes that must see exactly the same resources: same namespace, same kind of client, same
 * served services, same egress. Everything is rendered per group, never per node; a thousand sidecars
 * of one service share one group and one snapshot.
 *
 * <p>Only what changes the resources tells groups apart, so the constructor normalises the rest: a
 * server-only node binds no client-alias listeners, and a proxyless client binds none at all, so their
 * {@code vipRange} is always {@link VipRange#REGISTRY}.
 *
 * @param served sorted by discovery name; always empty for proxyless clients
 * @param serverOnly an Envoy node that gets its ingress only: no client-alias listeners, no egress
 *     clusters, endpoints or routes (an ECS task's sidecar; its apps call through the host's Envoy)
 * @param vipRange where the node's client-alias listeners are bound ({@link VipRange#rebase}); the
 *     registry's own range for a node that did not ask for one
 * @param identity the discoveryName an Envoy node calls and serves as (docs/security.md "Identities"):
 *     its first served service, else its metadata {@code identity}; null for the namespace's anonymous
 *     client, and always null for proxyless clients (they get no secrets over xDS)
 * @param certificates a proxyless client whose bootstrap has the {@code tether} certificate provider
 *     (node metadata {@code certificates: "file_watcher"}, docs/security.md "Proxyless gRPC"): its
 *     clusters may ask for mutual TLS; always false for Envoy nodes, which get their certificates over SDS
 * @param zone the nodes' {@code node.locality.zone}: zone-aware services' endpoints are prioritised for it
 *     (README "Zone-aware routing"); null without one, and always null for server-only groups, which get
 *     no endpoints (so their nodes keep sharing one group whatever their zones)
 */
public record GroupKey(String namespace, ProxyKind kind, List<ServedService> served, boolean serverOnly,
    VipRange vipRange, String identity, boolean certificates, String zone) {
  public GroupKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(kind, "kind");
    served = List.copyOf(served);
    if (serverOnly && (kind != ProxyKind.ENVOY || served.isEmpty())) {
      throw new IllegalArgumentException("a server-only group is of Envoy nodes that serve a service");
    }
    if (vipRange == null || serverOnly || kind == ProxyKind.GRPC) {
      vipRange = VipRange.REGISTRY;
    }
    if (kind == ProxyKind.GRPC) {
      identity = null;
    } else {
      certificates = false;
    }
    if (serverOnly) {
      zone = null;
    }
  }

  /** A group without a zone. */
  public GroupKey(String namespace, ProxyKind kind, List<ServedService> served, boolean serverOnly,
      VipRange vipRange, String identity, boolean certificates) {
    this(namespace, kind, served, serverOnly, vipRange, identity, certificates, null);
  }

  /** This group's nodes, in {@code newZone} (null: none). */
  public GroupKey withZone(String newZone) {
    return new GroupKey(namespace, kind, served, serverOnly, vipRange, identity, certificates, newZone);
  }

  /** A group of clients without the {@code tether} certificate provider (every Envoy group). */
  public GroupKey(String namespace, ProxyKind kind, List<ServedService> served, boolean serverOnly,
      VipRange vipRange, String identity) {
    this(namespace, kind, served, serverOnly, vipRange, identity, false);
  }

  /** A group whose identity is its first served service (by name), if any. */
  public GroupKey(String namespace, ProxyKind kind, List<ServedService> served, boolean serverOnly,
      VipRange vipRange) {
    this(namespace, kind, served, serverOnly, vipRange, served.isEmpty() ? null : served.get(0).discoveryName());
  }

  /** A group whose client-alias listeners, if any, are on the registry's VIPs. */
  public GroupKey(String namespace, ProxyKind kind, List<ServedService> served) {
    this(namespace, kind, served, false, VipRange.REGISTRY);
  }

  /** True when the group's proxies get their certificates over SDS: Envoy's, not proxyless clients'. */
  public boolean getsSecrets() {
    return kind == ProxyKind.ENVOY;
  }

  public static GroupKey grpc(String namespace) {
    return new GroupKey(namespace, ProxyKind.GRPC, List.of());
  }

  /** Proxyless clients of {@code namespace} whose bootstrap has the {@code tether} certificate provider. */
  public static GroupKey grpcWithCertificates(String namespace) {
    return new GroupKey(namespace, ProxyKind.GRPC, List.of(), false, VipRange.REGISTRY, null, true);
  }

  /** True when the group calls the namespace's services: it gets their clusters, endpoints, listeners and routes. */
  public boolean callsServices() {
    return !serverOnly;
  }
}
