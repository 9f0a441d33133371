package io.tether.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.ProxyKey;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.Map;

/**
 * Whether an xDS client has ACKed what the server serves it now, per type: what a test polls for after a
 * registry write instead of sleeping (README "Canaries and test traffic"). The served version is read from
 * the in-JVM server's cache, the ACKed one from {@code GET /v1/proxies}.
 */
final class AckedVersions {
  static final Map<ResourceType, String> TYPES = Map.of(ResourceType.LISTENER, "LDS", ResourceType.ROUTE, "RDS",
      ResourceType.CLUSTER, "CDS", ResourceType.ENDPOINT, "EDS");

  private AckedVersions() {}

  /** The version of {@code type} the server serves the node's group now; null when it serves none. */
  static String served(Mesh mesh, String ns, String nodeId, ResourceType type) {
    var cache = mesh.server.xds().cache();
    return cache.groupOf(new ProxyKey(ns, nodeId)).flatMap(cache::snapshot).map(GroupSnapshot::types)
        .map(types -> types.get(type).version()).orElse(null);
  }

  /** Whether the server serves the node's group a resource of {@code type} named {@code name} now. */
  static boolean serves(Mesh mesh, String ns, String nodeId, ResourceType type, String name) {
    var cache = mesh.server.xds().cache();
    return cache.groupOf(new ProxyKey(ns, nodeId)).flatMap(cache::snapshot)
        .map(s -> s.of(type).resources().containsKey(name)).orElse(false);
  }

  /** Whether the node's stream shows {@code type} ACKed at the version served now. */
  static boolean ackedCurrent(Mesh mesh, String ns, String nodeId, ResourceType type) {
    String served = served(mesh, ns, nodeId, type);
    JsonNode stream = mesh.proxyStream(nodeId);
    return served != null && stream != null && served.equals(stream.path("ackedVersions").path(TYPES.get(type)).asText());
  }

  /**
   * Whether the server serves the node a {@code type} version other than {@code before} (what it served
   * before a write) and the node's stream shows that one ACKed: after a write, {@link #ackedCurrent} alone
   * may still be true of the old version, since the publisher renders the write a moment later.
   */
  static boolean ackedNewer(Mesh mesh, String ns, String nodeId, ResourceType type, String before) {
    String served = served(mesh, ns, nodeId, type);
    return served != null && !served.equals(before) && ackedCurrent(mesh, ns, nodeId, type);
  }

  /**
   * Runs {@code write} and waits until the node ACKed the {@code type} version rendered from it
   * ({@link #ackedNewer}); returns the ms from the write's start to that ACK.
   */
  static long writeAndAwaitAck(Mesh mesh, String ns, String nodeId, ResourceType type, Runnable write) {
    String before = served(mesh, ns, nodeId, type);
    long start = System.nanoTime();
    write.run();
    Poll.until(Duration.ofSeconds(30), () -> ackedNewer(mesh, ns, nodeId, type, before),
        () -> TYPES.get(type) + " rendered from the write ACKed by " + nodeId + "; /v1/proxies " + mesh.proxyStream(nodeId));
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The node's NACKs as {@code GET /v1/proxies} shows them (none when it is not connected). */
  static int nacks(Mesh mesh, String nodeId) {
    JsonNode stream = mesh.proxyStream(nodeId);
    return stream == null ? 0 : stream.path("lastNacks").size();
  }
}
