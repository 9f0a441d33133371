package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@value #NAME} container (docs/ecs.md, "Task definition"): the task agent, which reads the task
 * metadata, writes its Envoy's bootstrap (server-only), registers and drains the task's endpoints. Its
 * environment says what to serve; the image's entrypoint is the agent and {@code ecs-task} its command.
 *
 * <p>No secret in bridge and host modes: the host agent holds the token and relays the sidecar's REST
 * calls and ADS stream. In awsvpc mode the task cannot reach the host agent, so the sidecar talks to the
 * control plane directly, with the token from {@code secrets} (read by ECS with the execution role).
 *
 * <p>The health check asks Envoy's {@code /ready} with bash's {@code /dev/tcp}: Envoy's images have
 * neither curl nor wget (since 1.28), and a check that never passes makes an ECS service replace the task.
 */
final class SidecarContainer {
  private SidecarContainer() {}

  static final String NAME = "tether-sidecar";
  static final String TOKEN_ENV = "TETHER_TOKEN";
  /** ECS gives a stopping container this long after the drain before SIGKILL: deregistering, Envoy's exit. */
  static final int STOP_MARGIN_SECONDS = 10;
  /** Defaults for tasks sized per container, where ECS needs every container's memory. */
  static final int MEMORY_RESERVATION_MIB = 128;
  static final int CPU_UNITS = 128;

  static String healthCheck(int adminPort) {
    return "exec 3<>/dev/tcp/127.0.0.1/" + adminPort
        + " && printf 'GET /ready HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3"
        + " && head -n 1 <&3 | grep -q ' 200 '";
  }

  /** @param logConfiguration copied from an app container, or null */
  static ObjectNode render(InjectOptions options, NetworkMode mode, List<SidecarService> services, MetricsPort metrics,
      Sizing sizing, JsonNode logConfiguration) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode c = json.objectNode();
    c.put("name", NAME);
    c.put("image", options.sidecarImage());
    c.put("essential", true);
    c.set("command", json.arrayNode().add("ecs-task"));
    c.set("environment", environment(options, mode, services, metrics));
    if (mode == NetworkMode.AWSVPC) {
      c.putArray("secrets").addObject().put("name", TOKEN_ENV).put("valueFrom", options.tokenSecret());
    }
    ArrayNode ports = c.putArray("portMappings");
    for (SidecarService s : services) {
      ObjectNode port = ports.addObject().put("containerPort", s.ingressPort());
      if (mode == NetworkMode.HOST) {
        port.put("hostPort", s.ingressPort()); // ECS requires it equal in host mode; bridge gets a dynamic one
      }
      port.put("protocol", "tcp");
    }
    if (metrics.mapped() != null) {
      // bridge: a dynamic host port, so that Prometheus can scrape each task from another host
      ports.addObject().put("containerPort", metrics.mapped()).put("protocol", "tcp");
    }
    ObjectNode health = c.putObject("healthCheck");
    health.set("command", json.arrayNode().add("CMD").add("bash").add("-c")
        .add(healthCheck(options.effectiveAdminPort())));
    health.put("interval", 5).put("timeout", 2).put("retries", 3).put("startPeriod", 10);
    c.put("stopTimeout", options.effectiveDrainSeconds() + STOP_MARGIN_SECONDS);
    if (sizing.cpu()) {
      c.put("cpu", CPU_UNITS);
    }
    if (sizing.memoryReservation()) {
      c.put("memoryReservation", MEMORY_RESERVATION_MIB);
    }
    if (logConfiguration != null) {
      c.set("logConfiguration", logConfiguration.deepCopy());
    }
    return c;
  }

  /** The task agent's settings; an optional one only when given, so the agent's default stays in one place. */
  private static ArrayNode environment(InjectOptions options, NetworkMode mode, List<SidecarService> services,
      MetricsPort metrics) {
    ArrayNode env = JsonNodeFactory.instance.arrayNode();
    add(env, "TETHER_NAMESPACE", options.namespace());
    add(env, "TETHER_SERVICES", servicesJson(services));
    if (mode == NetworkMode.AWSVPC) {
      add(env, "TETHER_SERVER", options.controlPlane().toString());
      add(env, "TETHER_XDS", options.xds()); // without it the sidecar asks the control plane (GET /v1/xds)
    }
    add(env, "TETHER_ADMIN_PORT", options.adminPort());
    add(env, "TETHER_METRICS_PORT", metrics.environment());
    add(env, "TETHER_DRAIN_SECONDS", options.drainSeconds());
    add(env, "TETHER_LEASE_TTL", options.leaseTtl());
    add(env, "TETHER_HOST_AGENT", options.hostAgent());
    add(env, "TETHER_LABELS", options.labels());
    return env;
  }

  /** {@code [{"discoveryName":"payments","container":"app","appPort":8080,"ingressPort":15000}]}, compact. */
  static String servicesJson(List<SidecarService> services) {
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    for (SidecarService s : services) {
      list.addObject().put("discoveryName", s.discoveryName()).put("container", s.container())
          .put("appPort", s.appPort()).put("ingressPort", s.ingressPort());
    }
    return list.toString();
  }

  private static void add(ArrayNode env, String name, Object value) {
    if (value != null) {
      env.addObject().put("name", name).put("value", value.toString());
    }
  }

  /** Which container-level sizes the sidecar needs: only those the task sizes its containers by. */
  record Sizing(boolean cpu, boolean memoryReservation) {
    static Sizing of(TaskDefinition task) {
      boolean containersHaveCpu = task.containerNames().stream()
          .anyMatch(n -> task.container(n).path("cpu").asInt(0) > 0);
      // Without task-level memory ECS needs every container's memory or memoryReservation. Without
      // task-level cpu, containers that set cpu get that many shares; one without gets the minimum and
      // would starve under load beside them.
      return new Sizing(!task.hasTaskLevel("cpu") && containersHaveCpu, !task.hasTaskLevel("memory"));
    }
  }
}
