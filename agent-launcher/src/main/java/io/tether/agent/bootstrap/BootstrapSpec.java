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
 * @param token the agent token, sent as {@code authorization: Bearer …} on the xDS stream
 * @param adminPort Envoy's admin port on 127.0.0.1
 * @param xdsCaFile when set, xDS goes over TLS verified against this CA (a path inside the sidecar)
 */
public record BootstrapSpec(String nodeId, String cluster, String namespace, List<ServedPort> served,
    String xdsHost, int xdsPort, String token, int adminPort, String xdsCaFile) {
  public BootstrapSpec {
    served = List.copyOf(served);
  }

  public String mode() {
    return served.isEmpty() ? "client-only" : "client-and-server";
  }
}
