package io.tether.agent.ecs;

import io.tether.agent.registry.RegistryClient;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a task's agent and Envoy find the mesh, and where callers find the task (docs/ecs.md, "Task
 * agent"): in bridge and host mode through the host agent, which holds the token and knows the host's
 * address; in awsvpc mode directly, at the task's own ENI address, with the task's token.
 *
 * @param restToken null when the host agent's relay adds the token
 * @param xdsToken null when the host agent's relay adds the token
 * @param address what the task's endpoints are registered at: the host's address, or the task's (awsvpc)
 * @param zone the host agent's zone, else the metadata's availability zone; may be null
 */
public record Placement(TaskNetworkMode mode, URI restApi, String restToken, HostPort xds, String xdsToken,
    String address, String zone) {

  /** The same with the xDS address the control plane advertised (awsvpc without TETHER_XDS). */
  Placement withXds(HostPort advertised) {
    return new Placement(mode, restApi, restToken, advertised, xdsToken, address, zone);
  }

  public RegistryClient registry() {
    return restToken == null ? RegistryClient.viaRelay(restApi) : new RegistryClient(restApi, restToken);
  }

  @Override
  public String toString() {
    return mode + " task at " + address + (zone == null ? "" : " (zone " + zone + ")") + "; REST " + restApi
        + ", xDS " + xds + (restToken == null ? " through the host agent" : " directly");
  }

  /**
   * An awsvpc task: the control plane from TETHER_SERVER and its token, the address of the task's ENI; the
   * xDS address is null when TETHER_XDS is not set (the caller asks the control plane).
   */
  static Placement direct(EcsSettings settings, Metadata.Container own, Metadata.Task task) {
    EcsSettings.Direct direct = settings.direct();
    if (direct == null) {
      throw new TaskConfigException("an awsvpc task reaches no host agent: set TETHER_SERVER and TETHER_TOKEN "
          + "(the token from the task definition's secrets) on the tether-sidecar container");
    }
    String address = own.ipv4().orElseThrow(() -> new TaskConfigException("the task metadata gives container "
        + own.name() + " no IPv4 address on its awsvpc network"));
    return new Placement(TaskNetworkMode.AWSVPC, direct.controlPlane(), direct.token(), direct.xds(), direct.token(),
        address, blankToNull(task.availabilityZone()));
  }

  /**
   * Where the task reaches its host agent: TETHER_HOST_AGENT, else (bridge) the default gateway, the
   * docker bridge's address on the host, or (host) 127.0.0.1; port {@value EcsSettings#HOST_AGENT_PORT}.
   */
  static HostPort hostAgentAddress(EcsSettings settings, TaskNetworkMode mode, Supplier<Optional<String>> gateway) {
    if (settings.direct() != null) {
      throw new TaskConfigException("TETHER_SERVER (or TETHER_CONTROL_PLANE) is for awsvpc tasks; a " + mode + " task "
          + "reaches the control plane through the host agent: remove TETHER_SERVER, TETHER_XDS and TETHER_TOKEN");
    }
    if (settings.hostAgent() != null) {
      return settings.hostAgent();
    }
    if (mode == TaskNetworkMode.HOST) {
      return new HostPort("127.0.0.1", EcsSettings.HOST_AGENT_PORT);
    }
    String host = gateway.get().orElseThrow(() -> new TaskConfigException("this container has no default route "
        + "(in /proc/net/route) to find the host agent by: set TETHER_HOST_AGENT=HOST:PORT"));
    return new HostPort(host, EcsSettings.HOST_AGENT_PORT);
  }

  /**
   * A bridge or host task: REST and ADS through the host agent (no token here), registered at the host's
   * address; refused when the host agent serves another namespace, whose token would not take the task.
   */
  static Placement viaHostAgent(EcsSettings settings, TaskNetworkMode mode, HostPort hostAgent,
      HostAgent.HostInfo host, Metadata.Task task) {
    if (!host.namespace().equals(settings.namespace())) {
      throw new TaskConfigException("the host agent at " + hostAgent + " serves namespace '" + host.namespace()
          + "', not TETHER_NAMESPACE '" + settings.namespace() + "': run this task on a container instance of "
          + "namespace " + settings.namespace() + " (or correct TETHER_NAMESPACE)");
    }
    String zone = host.zone() != null ? host.zone() : blankToNull(task.availabilityZone());
    return new Placement(mode, URI.create("http://" + hostAgent), null, new HostPort(hostAgent.host(), host.xdsPort()),
        null, host.address(), zone);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
