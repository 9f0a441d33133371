package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.xds.node.NodeIdentity;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * One client's ADS stream: who it is (known from its first request) and, per resource type, what it
 * holds. Type states are guarded by the lock of the stream's group in {@link TetherCache}.
 */
final class ProxyStream {
  final long streamId;
  final Instant openedAt = Instant.now();
  private volatile NodeIdentity identity;
  private volatile boolean delta;
  private final Map<ResourceType, TypeState> types = new EnumMap<>(ResourceType.class);
  /** Set, under the group lock, when the stream is forgotten: a response sent after it is not in flight. */
  boolean closed;

  ProxyStream(long streamId) {
    this.streamId = streamId;
  }

  NodeIdentity identity() {
    return identity;
  }

  void identify(NodeIdentity id, boolean isDelta) {
    this.identity = id;
    this.delta = isDelta;
  }

  boolean delta() {
    return delta;
  }

  TypeState type(ResourceType type) {
    return types.computeIfAbsent(type, t -> new TypeState());
  }

  /** A consistent copy of the per-type states, for reporting; the caller holds the group lock. */
  Map<ResourceType, TypeState> types() {
    return types;
  }
}
