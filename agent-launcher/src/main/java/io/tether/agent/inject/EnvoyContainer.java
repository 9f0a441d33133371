package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.bootstrap.ServedPort;
import java.util.List;

/**
 * The sidecar's container definition.
 *
 * <p>How the bootstrap and the token get in. The token must not appear in the task definition, and
 * ECS's only way to hand a container a secret is {@code secrets}, as an environment variable
 * ({@code TETHER_TOKEN}). Envoy itself cannot read the token from there: the ADS stream's
 * {@code initial_metadata} is a plain string, and neither {@code --config-yaml} nor the bootstrap file
 * expands variables. So the bootstrap travels as JSON in the environment variable
 * {@value #BOOTSTRAP_ENV}, with two placeholders, and the container's command, a POSIX shell line run
 * through the image's entrypoint (which drops to the envoy user), puts the token and a fresh UUID for
 * the node id (unique per task, as the xDS contract requires; the definition is shared by every task)
 * in their places with parameter expansion (so no character of the token is special to the shell;
 * sed escapes the two that are to JSON, quote and backslash), writes the file readable by its owner
 * only, and execs Envoy on it. The token never reaches a command line, where every user of the host
 * could read it in /proc. A trailing newline in the secret (a secret stored from a file, the classic
 * slip) is dropped by the command substitution.
 *
 * <p>The health check asks the admin interface's {@code /ready} (200 once Envoy is LIVE) with bash's
 * {@code /dev/tcp}: the official envoyproxy/envoy images have neither curl nor wget (since 1.28), and
 * a {@code curl} check there never passes, so the apps that wait for Envoy to be HEALTHY never start.
 */
final class EnvoyContainer {
  private EnvoyContainer() {}

  static final String NAME = "envoy";
  static final String BOOTSTRAP_ENV = "TETHER_BOOTSTRAP";
  static final String TOKEN_ENV = "TETHER_TOKEN";
  static final String TOKEN_PLACEHOLDER = "@TETHER_TOKEN@";
  static final String UUID_PLACEHOLDER = "@TASK_UUID@";
  /** Defaults for tasks sized per container, where ECS needs every container's memory. */
  static final int MEMORY_RESERVATION_MIB = 128;
  static final int CPU_UNITS = 128;

  static final String START = String.join("; ",
      "set -eu",
      ": \"${" + TOKEN_ENV + ":?must hold the Tether agent token: see this container's secrets}\"",
      "t=$(printf %s \"$" + TOKEN_ENV + "\" | sed 's/[\\\\\"]/\\\\&/g')",
      "b=$" + BOOTSTRAP_ENV,
      "b=${b%%" + UUID_PLACEHOLDER + "*}$(cat /proc/sys/kernel/random/uuid)${b#*" + UUID_PLACEHOLDER + "}",
      "b=${b%%" + TOKEN_PLACEHOLDER + "*}$t${b#*" + TOKEN_PLACEHOLDER + "}",
      "f=${TMPDIR:-/tmp}/tether-bootstrap.json",
      "(umask 077; printf '%s\\n' \"$b\" >\"$f\")",
      "exec envoy -c \"$f\"");

  static String healthCheck(int adminPort) {
    return "exec 3<>/dev/tcp/127.0.0.1/" + adminPort
        + " && printf 'GET /ready HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3"
        + " && head -n 1 <&3 | grep -q ' 200 '";
  }

  /** The bootstrap with its placeholders: what {@value #BOOTSTRAP_ENV} holds. */
  static BootstrapSpec bootstrap(InjectOptions options, String cluster, List<ServedPort> served) {
    return new BootstrapSpec(cluster + "-" + UUID_PLACEHOLDER, cluster, options.namespace(), served,
        options.xdsHost(), options.xdsPort(), TOKEN_PLACEHOLDER, options.adminPort(), options.xdsCaFile());
  }

  /**
   * @param links bridge mode: the served containers, as {@code name} or {@code name:alias}
   * @param logConfiguration copied from an app container, or null
   */
  static ObjectNode render(InjectOptions options, BootstrapSpec bootstrap, NetworkMode mode, List<SidecarService> services,
      List<String> links, Sizing sizing, JsonNode logConfiguration) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode c = json.objectNode();
    c.put("name", NAME);
    c.put("image", options.envoyImage());
    c.put("essential", true);
    c.set("command", json.arrayNode().add("/bin/sh").add("-c").add(START));
    c.set("environment", json.arrayNode().add(nameValue("value", BOOTSTRAP_ENV,
        EnvoyBootstrap.compactJson(EnvoyBootstrap.render(bootstrap)))));
    c.set("secrets", json.arrayNode().add(nameValue("valueFrom", TOKEN_ENV, options.tokenSecret())));
    ArrayNode ports = json.arrayNode();
    for (SidecarService s : services) {
      ObjectNode port = ports.addObject().put("containerPort", s.ingressPort());
      if (mode != NetworkMode.AWSVPC) {
        // The port the endpoint is registered with (node metadata's ingressPort) is the host's too.
        port.put("hostPort", s.ingressPort());
      }
      port.put("protocol", "tcp");
    }
    if (!ports.isEmpty()) {
      c.set("portMappings", ports);
    }
    if (!links.isEmpty()) {
      ArrayNode l = c.putArray("links");
      links.forEach(l::add);
    }
    ObjectNode health = c.putObject("healthCheck");
    health.set("command", json.arrayNode().add("CMD").add("bash").add("-c").add(healthCheck(options.adminPort())));
    health.put("interval", 5).put("timeout", 2).put("retries", 3).put("startPeriod", 10);
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

  private static ObjectNode nameValue(String valueField, String name, String value) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", name);
    node.put(valueField, value);
    return node;
  }
}
