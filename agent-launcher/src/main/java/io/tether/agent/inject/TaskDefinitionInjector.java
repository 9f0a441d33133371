package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.ServedPort;
import io.tether.model.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds the Tether sidecar to an ECS task definition (for ECS Anywhere and EC2): an Envoy container
 * with the bootstrap and the token carried in ({@link EnvoyContainer}), a health check on its
 * {@code /ready}, ingress port mappings for the served services, and {@code dependsOn} HEALTHY on it
 * for the apps. Pure: a JSON tree in, a new tree out; the input is not modified, and every field it
 * does not need to change is kept as it was, in order.
 *
 * <p>Network modes. In awsvpc and host modes Envoy shares the apps' network namespace: it reaches the
 * apps on 127.0.0.1, as the control plane renders, and the apps reach its client-alias listeners; every
 * app container (but a FireLens log router, which must not wait for anything) waits for it. In bridge
 * mode every container has its own namespace: Envoy reaches each served container over a Docker link,
 * bridging 127.0.0.1:appPort to it in its bootstrap, so those containers start before Envoy and cannot
 * wait for it; and no app can reach Envoy's client-alias listeners, on Envoy's own loopback. A bridge
 * task is therefore served only, and a bridge sidecar that serves nothing is refused.
 */
public final class TaskDefinitionInjector {
  private TaskDefinitionInjector() {}

  public static Injection inject(JsonNode document, InjectOptions options) {
    checkOptions(options);
    JsonNode copy = document == null ? null : document.deepCopy();
    TaskDefinition task = TaskDefinition.of(copy, EnvoyContainer.NAME);
    NetworkMode mode = task.networkMode;
    List<String> notes = new ArrayList<>();
    if (!task.root.path("networkMode").isTextual()) {
      notes.add("networkMode is not set, so ECS runs the task in bridge mode");
    }
    checkXds(mode, options);
    if (!task.hasTaskLevel("executionRoleArn")) {
      throw new InjectException("executionRoleArn is missing: ECS reads --token-secret into the Envoy container "
          + "with the task execution role (allow it secretsmanager:GetSecretValue or ssm:GetParameters on "
          + options.tokenSecret() + ")");
    }
    List<SidecarService> services = PortPlan.assign(task, ServedServices.resolve(task, options.services()),
        options.adminPort());
    if (mode == NetworkMode.BRIDGE && services.isEmpty()) {
      throw new InjectException("networkMode bridge with no --service: in bridge mode every container has its own "
          + "network namespace, so the apps cannot reach the sidecar's client-alias listeners on its loopback, "
          + "and a sidecar that serves nothing does nothing; serve a --service, or use awsvpc or host mode");
    }

    Map<String, String> aliases = mode == NetworkMode.BRIDGE ? linkAliases(services) : Map.of();
    List<ServedPort> served = new ArrayList<>();
    for (SidecarService s : services) {
      served.add(new ServedPort(s.discoveryName(), s.ingressPort(), s.appPort(),
          mode.sharedLoopback ? ServedPort.LOOPBACK : aliases.get(s.container())));
    }
    BootstrapSpec bootstrap = EnvoyContainer.bootstrap(options, cluster(task, services), served);
    List<String> links = new ArrayList<>();
    aliases.forEach((name, alias) -> links.add(name.equals(alias) ? name : name + ":" + alias));
    ObjectNode envoy = EnvoyContainer.render(options, bootstrap, mode, services, links,
        EnvoyContainer.Sizing.of(task), logConfiguration(task, services, notes));

    if (mode.sharedLoopback) {
      for (String name : task.containerNames()) {
        ObjectNode container = task.container(name);
        if (!container.has("firelensConfiguration")) {
          dependsOn(container, name).addObject()
              .put("containerName", EnvoyContainer.NAME).put("condition", "HEALTHY");
        }
      }
    } else {
      notes.add("bridge mode: the sidecar reaches the served containers (" + String.join(", ", aliases.keySet())
          + ") over Docker links, so they start before it instead of waiting for it; and no container of this "
          + "task can call other services through it, whose client-alias listeners are on its own loopback "
          + "(use awsvpc or host mode for that)");
    }
    task.containers.add(envoy);
    return new Injection((ObjectNode) copy, notes);
  }

  private static void checkOptions(InjectOptions options) {
    if (!Names.isLabel(options.namespace())) {
      throw new InjectException("--namespace '" + options.namespace() + "' is not a DNS label (lower-case letters, "
          + "digits and '-', at most 63)");
    }
    if (options.tokenSecret().isBlank()) {
      throw new InjectException("--token-secret is empty: give the ARN (or SSM parameter name) of the secret "
          + "holding the agent token");
    }
    if (options.envoyImage().isBlank()) {
      throw new InjectException("--envoy-image is empty");
    }
    checkPort("--admin-port", options.adminPort());
    checkPort("--xds port", options.xdsPort());
    for (ServiceRequest s : options.services()) {
      if (s.ingressPort() != null) {
        checkPort(s.arg() + ": INGRESSPORT", s.ingressPort());
      }
    }
  }

  private static void checkPort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new InjectException(what + " " + port + " is not a port number (1-65535)");
    }
  }

  /** A loopback xDS address is the control plane only where the task shares the host's network. */
  private static void checkXds(NetworkMode mode, InjectOptions options) {
    String host = options.xdsHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.startsWith("127.") || host.equals("localhost") || host.equals("::1");
    if (loopback && mode != NetworkMode.HOST) {
      throw new InjectException("--xds " + options.xdsHost() + ":" + options.xdsPort() + " is the Envoy container's "
          + "own loopback in " + mode.wire + " mode: give the control plane's address as the task reaches it");
    }
  }

  /** node.cluster: the first served discovery name, or the task family for a client-only task. */
  private static String cluster(TaskDefinition task, List<SidecarService> services) {
    if (!services.isEmpty()) {
      return services.get(0).discoveryName();
    }
    if (task.family() == null) {
      throw new InjectException("family is missing: a client-only sidecar is named after the task family");
    }
    return task.family();
  }

  /** Bridge mode: each served container's link alias, a host name Envoy resolves. */
  private static Map<String, String> linkAliases(List<SidecarService> services) {
    Map<String, String> aliases = new LinkedHashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (SidecarService s : services) {
      String alias = s.container().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
      String owner = owners.putIfAbsent(alias, s.container());
      if (owner != null && !owner.equals(s.container())) {
        throw new InjectException("containers '" + owner + "' and '" + s.container() + "' would both be linked to "
            + "the sidecar as '" + alias + "': rename one");
      }
      aliases.put(s.container(), alias);
    }
    return aliases;
  }

  /**
   * The log configuration of the first served container (else of the first that has one), so Envoy's
   * logs go where the task's go; not a FireLens one, which would make Envoy depend on the log router.
   */
  private static JsonNode logConfiguration(TaskDefinition task, List<SidecarService> services, List<String> notes) {
    List<String> order = new ArrayList<>();
    services.forEach(s -> order.add(s.container()));
    order.addAll(task.containerNames());
    for (String name : order) {
      JsonNode log = task.container(name).get("logConfiguration");
      if (log != null && log.isObject()) {
        if (log.path("logDriver").asText().equals("awsfirelens")) {
          notes.add("the Envoy container keeps Docker's default logging: '" + name + "' logs through FireLens, "
              + "which the sidecar does not wait for");
          return null;
        }
        return log;
      }
    }
    return null;
  }

  private static ArrayNode dependsOn(ObjectNode container, String name) {
    JsonNode existing = container.get("dependsOn");
    if (existing == null || existing.isNull()) {
      return container.putArray("dependsOn");
    }
    if (!existing.isArray()) {
      throw new InjectException("container '" + name + "' dependsOn must be a list");
    }
    return (ArrayNode) existing;
  }
}
