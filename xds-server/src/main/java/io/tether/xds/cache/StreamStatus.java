package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.xds.node.NodeIdentity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connected client's stream as /v1/proxies shows it. The proxy is (namespace, nodeId), never the
 * node id alone: node ids are unique per namespace only. {@code sync} is, per type, SYNCED, STALE or NACKED
 * ({@link TypeState#sync}). {@code zone} is the group's ({@link io.tether.xds.node.GroupKey#zone}): null, and
 * left out, without one.
 */
public record StreamStatus(long streamId, String nodeId, String namespace, String kind, String cluster,
    String userAgent, String mode, String zone, boolean delta, Instant connectedAt, Map<String, String> ackedVersions,
    Map<String, Nack> lastNacks, Map<String, String> sync) {

  static StreamStatus of(ProxyStream s) {
    NodeIdentity id = s.identity();
    Map<String, String> acked = new LinkedHashMap<>();
    Map<String, Nack> nacks = new LinkedHashMap<>();
    Map<String, String> sync = new LinkedHashMap<>();
    s.types().forEach((type, state) -> {
      acked.put(typeName(type), state.ackedVersion);
      sync.put(typeName(type), state.sync());
      if (state.lastNack != null) {
        nacks.put(typeName(type), state.lastNack);
      }
    });
    return new StreamStatus(s.streamId, id.nodeId(), id.group().namespace(), id.group().kind().name(), id.cluster(),
        id.userAgent(), id.mode(), id.group().zone(), s.delta(), s.openedAt, acked, nacks, sync);
  }

  private static String typeName(ResourceType type) {
    return switch (type) {
      case LISTENER -> "LDS";
      case ROUTE -> "RDS";
      case CLUSTER -> "CDS";
      case ENDPOINT -> "EDS";
      case SECRET -> "SDS";
    };
  }
}
