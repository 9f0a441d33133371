package io.tether.agent.inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports the sidecar takes, checked against what else holds them, and the ingress ports chosen for
 * services that did not name one (the first free from {@value #FIRST_INGRESS_PORT}).
 *
 * <p>Where a port can clash depends on the network mode. In awsvpc and host modes Envoy shares the
 * task's network namespace, so its admin and ingress ports must differ from every container's ports. In
 * bridge mode Envoy has a namespace of its own, where it holds the admin port, the ingress ports and,
 * on 127.0.0.1, each served app's port (see {@code AppForwarder}); the ingress ports are also published
 * on the host at the same numbers, so they must differ from the other containers' static host ports.
 */
final class PortPlan {
  static final int FIRST_INGRESS_PORT = 15000;

  /** Ports in Envoy's network namespace, and what holds them. */
  private final Map<Integer, String> namespace = new HashMap<>();
  /** Bridge mode: the host ports the task publishes. */
  private final Map<Integer, String> host = new HashMap<>();
  private final NetworkMode mode;

  private PortPlan(NetworkMode mode) {
    this.mode = mode;
  }

  /** The services with their ingress ports; refuses a port that is taken, naming what holds it. */
  static List<SidecarService> assign(TaskDefinition task, List<SidecarService> services, int adminPort) {
    PortPlan plan = new PortPlan(task.networkMode);
    for (PortMapping m : task.allPortMappings()) {
      if (task.networkMode.sharedLoopback && m.containerPort() != null) {
        plan.namespace.putIfAbsent(m.containerPort(), m.where());
      } else if (!task.networkMode.sharedLoopback && m.staticHostPort()) {
        plan.host.putIfAbsent(m.hostPort(), m.where() + " on the host (its hostPort)");
      }
    }
    String holder = plan.namespace.putIfAbsent(adminPort, "the Envoy admin port (--admin-port)");
    if (holder != null) {
      throw new InjectException("--admin-port " + adminPort + " is taken by " + holder + plan.sharing()
          + ": choose another --admin-port");
    }
    if (task.networkMode == NetworkMode.BRIDGE) {
      for (SidecarService s : services) {
        String other = plan.namespace.putIfAbsent(s.appPort(), "the sidecar's forwarder for " + s.request().arg());
        if (other != null) {
          throw new InjectException(s.request().arg() + ": in bridge mode the sidecar forwards each served app's "
              + "port from its own 127.0.0.1 (the control plane sends a service's traffic to 127.0.0.1:appPort), "
              + "and port " + s.appPort() + " there is already " + other + ": "
              + (other.contains("--admin-port") ? "choose another --admin-port" : "served ports need distinct container ports"));
        }
      }
    }
    for (SidecarService s : services) {
      if (s.ingressPort() != 0) {
        String other = plan.holder(s.ingressPort());
        if (other != null) {
          throw new InjectException(s.request().arg() + ": ingress port " + s.ingressPort() + " is taken by " + other
              + (plan.namespace.containsKey(s.ingressPort()) ? plan.sharing() : ""));
        }
        plan.claim(s.ingressPort(), s.request().arg());
      }
    }
    List<SidecarService> out = new ArrayList<>();
    int next = FIRST_INGRESS_PORT;
    for (SidecarService s : services) {
      if (s.ingressPort() != 0) {
        out.add(s);
        continue;
      }
      while (plan.holder(next) != null) {
        next++;
      }
      plan.claim(next, s.request().arg());
      out.add(s.withIngressPort(next));
    }
    return out;
  }

  private String holder(int port) {
    String inNamespace = namespace.get(port);
    return inNamespace != null ? inNamespace : host.get(port);
  }

  private void claim(int port, String by) {
    namespace.put(port, by);
    host.put(port, by);
  }

  private String sharing() {
    return switch (mode) {
      case AWSVPC -> " (in awsvpc mode the task's containers share one network namespace)";
      case HOST -> " (in host mode the task's containers share the host's network namespace)";
      case BRIDGE -> "";
    };
  }
}
