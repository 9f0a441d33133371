package io.tether.agent.ecs;

import io.tether.agent.bootstrap.ServedPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How one service of the task is served, once its app container runs: where the sidecar's Envoy (and
 * the health check) reaches the app, and the port callers are given.
 *
 * @param served Envoy's ingress for it; the app on 127.0.0.1, or (bridge) at the app container's IPv4
 * @param registeredPort the HostPort Docker mapped the ingress port to (bridge), else the ingress port
 */
public record ServicePlan(EcsService service, ServedPort served, int registeredPort) {

  public String appHost() {
    return served.appHost();
  }

  /**
   * The app containers TETHER_SERVICES names that are not ready to be served yet, each with why ("app
   * is CREATED"); empty when all run (and, in bridge mode, have their IPv4 address).
   *
   * @throws TaskConfigException when the task has no container of a name TETHER_SERVICES gives
   */
  static List<String> notReady(EcsSettings settings, TaskNetworkMode mode, Metadata.Task task) {
    List<String> waiting = new ArrayList<>();
    for (String name : settings.services().stream().map(EcsService::container).distinct().toList()) {
      Metadata.Container c = task.container(name).orElseThrow(() -> new TaskConfigException("TETHER_SERVICES names "
          + "container '" + name + "', which this task does not have (it has " + names(task) + ")"));
      if (!c.running()) {
        waiting.add(name + " is " + (c.knownStatus() == null ? "not started" : c.knownStatus()));
      } else if (mode == TaskNetworkMode.BRIDGE && c.ipv4().isEmpty()) {
        waiting.add(name + " is RUNNING without an IPv4 address yet");
      }
    }
    return waiting;
  }

  /**
   * The ingress ports (bridge mode) of which the sidecar's container {@code own} has no HostPort yet, each
   * with why; empty when all have one, and always outside bridge mode. ECS may answer before it has
   * filled in {@code Ports}: a port missing here is "not yet" until the start-up deadline.
   */
  static List<String> pendingHostPorts(EcsSettings settings, TaskNetworkMode mode, Metadata.Container own) {
    if (mode != TaskNetworkMode.BRIDGE) {
      return List.of();
    }
    return settings.services().stream().map(EcsService::ingressPort).distinct()
        .filter(port -> own.hostPort(port).isEmpty())
        .map(port -> own.name() + " has no HostPort for containerPort " + port + " yet").toList();
  }

  /** The plans of every service, for a task whose app containers all run ({@link #notReady} is empty). */
  static List<ServicePlan> of(EcsSettings settings, TaskNetworkMode mode, Metadata.Task task, Metadata.Container own) {
    List<ServicePlan> plans = new ArrayList<>();
    Set<Integer> forwarded = new HashSet<>();
    for (EcsService s : settings.services()) {
      if (mode != TaskNetworkMode.BRIDGE) {
        plans.add(new ServicePlan(s, new ServedPort(s.discoveryName(), s.ingressPort(), s.appPort()), s.ingressPort()));
        continue;
      }
      if (!forwarded.add(s.appPort())) {
        throw new TaskConfigException("TETHER_SERVICES: in bridge mode the sidecar forwards each appPort on its own "
            + "loopback, so two services cannot share appPort " + s.appPort() + ": give each its own port");
      }
      String appHost = task.container(s.container()).flatMap(Metadata.Container::ipv4).orElseThrow();
      int hostPort = own.hostPort(s.ingressPort()).orElseThrow(() -> new TaskConfigException("container "
          + own.name() + " has no port mapping of containerPort " + s.ingressPort() + " (the ingressPort of "
          + s.discoveryName() + "): add {\"containerPort\": " + s.ingressPort() + "} to its portMappings "
          + "(tether agent inject does)"));
      plans.add(new ServicePlan(s, new ServedPort(s.discoveryName(), s.ingressPort(), s.appPort(), appHost), hostPort));
    }
    return plans;
  }

  private static String names(Metadata.Task task) {
    return String.join(", ", task.containers().stream().map(Metadata.Container::name).toList());
  }
}
