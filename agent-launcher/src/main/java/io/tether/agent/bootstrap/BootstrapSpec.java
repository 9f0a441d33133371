package io.tether.agent.bootstrap;

import java.util.List;

/**
 * What a sidecar's (or a proxyless app's) bootstrap says: who the node is and where the control plane is.
 *
 * @param nodeId unique per task
 * @param cluster the served service's discovery name, or the task family for client-only tasks
 * @param namespace the Tether namespace
 * @param served the services this task serves (empty: client-only)
 * @param xdsHost the xDS server's host or IP
 * @param xdsPort the xDS server's port
 * @param token the agent token, sent as {@code authorization: Bearer …} on the xDS stream; null to send
 *     none (a relay on the way adds it: the ECS host agent)
 * @param adminPort Envoy's admin port on 127.0.0.1
 * @param xdsCaFile when set, xDS goes over TLS verified against this CA (a path inside the sidecar)
 * @param serverOnly ingress only: the node gets no client-alias listeners and no egress clusters (an
 *     ECS task's sidecar, whose apps call through the host agent's Envoy; see docs/ecs.md)
 * @param vipRange where this node's client-alias listeners go ({@link io.tether.model.VipRange}), or null
 *     for the registry's own loopback VIPs
 * @param zone the task's zone, written as the node's standard {@code locality.zone}: what zone-aware
 *     services prefer the endpoints of (README "Zone-aware routing"); null for none
 */
public record BootstrapSpec(String nodeId, String cluster, String namespace, List<ServedPort> served,
    String xdsHost, int xdsPort, String token, int adminPort, String xdsCaFile, boolean serverOnly,
    String vipRange, String zone) {
  public BootstrapSpec {
    served = List.copyOf(served);
    if (serverOnly && served.isEmpty()) {
      throw new IllegalArgumentException("a server-only node must serve a service");
    }
  }

  /** A node without a zone. */
  public BootstrapSpec(String nodeId, String cluster, String namespace, List<ServedPort> served,
      String xdsHost, int xdsPort, String token, int adminPort, String xdsCaFile, boolean serverOnly,
      String vipRange) {
    this(nodeId, cluster, namespace, served, xdsHost, xdsPort, token, adminPort, xdsCaFile, serverOnly, vipRange, null);
  }

  /** A node with both client-alias listeners on the registry's VIPs and the services it serves. */
  public BootstrapSpec(String nodeId, String cluster, String namespace, List<ServedPort> served,
      String xdsHost, int xdsPort, String token, int adminPort, String xdsCaFile) {
    this(nodeId, cluster, namespace, served, xdsHost, xdsPort, token, adminPort, xdsCaFile, false, null);
  }

  /** This node in {@code newZone} (null: none). */
  public BootstrapSpec withZone(String newZone) {
    return new BootstrapSpec(nodeId, cluster, namespace, served, xdsHost, xdsPort, token, adminPort, xdsCaFile,
        serverOnly, vipRange, newZone);
  }

  public String mode() {
    if (serverOnly) {
      return "server-only";
    }
    return served.isEmpty() ? "client-only" : "client-and-server";
  }
}
