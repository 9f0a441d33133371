package io.tether.agent.inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ports the sidecar takes in its network namespace, checked against what else holds them there,
 * and the ingress ports chosen for services that did not name one (the first free from
 * {@value #FIRST_INGRESS_PORT}).
 *
 * <p>Who shares the sidecar's namespace depends on the network mode. In awsvpc and host modes every
 * container does, so the admin and ingress ports must differ from every container's ports. In bridge
 * mode the sidecar has a namespace of its own, where it holds the admin port, the ingress ports and, on
 * 127.0.0.1, each served app's port (the control plane sends a service's traffic to 127.0.0.1:appPort,
 * and the bootstrap the task agent writes forwards that to the app's container: {@code AppForwarder});
 * ECS publishes the ingress ports on dynamic host ports, so no host port can clash.
 */
final class PortPlan {
  static final int FIRST_INGRESS_PORT = 15000;

  /** Ports in the sidecar's network namespace, and what holds them. */
  private final Map<Integer, String> held = new HashMap<>();
  private final NetworkMode mode;

  private PortPlan(NetworkMode mode) {
    this.mode = mode;
  }

  /** The services with their ingress ports, and the metrics port. */
  record Result(List<SidecarService> services, MetricsPort metrics) {}

  /**
   * The services with their ingress ports, and the metrics port; refuses a port that is taken, naming
   * what holds it. The default metrics port gives way instead (as the task agent's does), with a note.
   */
  static Result assign(TaskDefinition task, List<SidecarService> services, InjectOptions options, List<String> notes) {
    int adminPort = options.effectiveAdminPort();
    PortPlan plan = new PortPlan(task.networkMode);
    if (task.networkMode.sharedLoopback) {
      for (PortMapping m : task.allPortMappings()) {
        if (m.containerPort() != null) {
          plan.held.putIfAbsent(m.containerPort(), m.where());
        }
      }
    }
    String holder = plan.held.putIfAbsent(adminPort, "the Envoy admin port (--admin-port)");
    if (holder != null) {
      throw new InjectException("--admin-port " + adminPort + " is taken by " + holder + plan.sharing()
          + ": choose another --admin-port");
    }
    if (task.networkMode == NetworkMode.BRIDGE) {
      plan.holdAppPorts(services);
    }
    for (SidecarService s : services) {
      if (s.ingressPort() != 0) {
        String other = plan.held.putIfAbsent(s.ingressPort(), s.request().arg());
        if (other != null) {
          throw new InjectException(s.request().arg() + ": ingress port " + s.ingressPort() + " is taken by " + other
              + (other.startsWith("--service") ? ": give each --service its own INGRESSPORT" : plan.sharing()));
        }
      }
    }
    MetricsPort metrics = services.isEmpty() ? null : plan.metrics(options, notes);
    List<SidecarService> out = new ArrayList<>();
    int next = FIRST_INGRESS_PORT;
    for (SidecarService s : services) {
      if (s.ingressPort() != 0) {
        out.add(s);
        continue;
      }
      while (plan.held.containsKey(next)) {
        next++;
      }
      plan.held.put(next, s.request().arg());
      out.add(s.withIngressPort(next));
    }
    return new Result(out, metrics);
  }

  /**
   * Held before ingress ports are chosen, so that none is chosen on it. A given port that is taken is
   * refused; the default one gives way with TETHER_METRICS_PORT=0, so that the sidecar, which starts
   * first, never takes a port another container of the task will bind.
   */
  private MetricsPort metrics(InjectOptions options, List<String> notes) {
    int port = options.effectiveMetricsPort();
    if (port == 0) {
      return new MetricsPort(0, null);
    }
    String holder = held.putIfAbsent(port, "the metrics port (--metrics-port)");
    if (holder != null && options.metricsPort() != null) {
      throw new InjectException("--metrics-port " + port + " is taken by " + holder + sharing()
          + ": choose another --metrics-port, or 0 for no metrics endpoint");
    }
    if (holder != null) {
      notes.add("the sidecar's default metrics port " + port + " is taken by " + holder + sharing() + ", so it gets "
          + "TETHER_METRICS_PORT=0 and serves no metrics: give --metrics-port PORT to serve them");
      return new MetricsPort(0, null);
    }
    boolean mapped = mode == NetworkMode.BRIDGE && options.metricsPortMapping();
    return new MetricsPort(options.metricsPort(), mapped ? port : null);
  }

  private void holdAppPorts(List<SidecarService> services) {
    for (SidecarService s : services) {
      String other = held.putIfAbsent(s.appPort(), "the sidecar's forwarder for " + s.request().arg());
      if (other != null) {
        throw new InjectException(s.request().arg() + ": in bridge mode the sidecar forwards each served app's "
            + "port from its own 127.0.0.1 (the control plane sends a service's traffic to 127.0.0.1:appPort), "
            + "and port " + s.appPort() + " there is already " + other + ": "
            + (other.contains("--admin-port") ? "choose another --admin-port" : "served ports need distinct container ports"));
      }
    }
  }

  private String sharing() {
    return switch (mode) {
      case AWSVPC -> " (in awsvpc mode the task's containers share one network namespace)";
      case HOST -> " (in host mode the task's containers share the host's network namespace)";
      case BRIDGE -> "";
    };
  }
}
