package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the Tether sidecar to an ECS task definition, as docs/ecs.md ("Task definition") specifies: the
 * {@value SidecarContainer#NAME} container ({@link SidecarContainer}), and what the other containers need
 * to start after it and to resolve the namespace's names ({@link AppContainers}). Pure: a JSON tree in, a
 * new tree out; the input is not modified, and every field it does not need to change is kept as it
 * was, in order.
 *
 * <p>The sidecar is server-only: it serves the task's {@code --service}s, and the apps call the
 * namespace's aliases through the host agent (bridge and host modes). A task that serves nothing gets no
 * sidecar, only its names wired. An awsvpc task cannot reach the host agent: its sidecar talks to the
 * control plane directly, and its apps have no Tether names.
 */
public final class TaskDefinitionInjector {
  private TaskDefinitionInjector() {}

  public static Injection inject(JsonNode document, InjectOptions options) {
    OptionChecks.values(options);
    JsonNode copy = document == null ? null : document.deepCopy();
    TaskDefinition task = TaskDefinition.of(copy, SidecarContainer.NAME);
    NetworkMode mode = task.networkMode;
    List<String> notes = new ArrayList<>();
    if (!task.root.path("networkMode").isTextual()) {
      notes.add("networkMode is not set, so ECS runs the task in bridge mode");
    }
    OptionChecks.forMode(task, options);
    PortPlan.Result ports = PortPlan.assign(task, ServedServices.resolve(task, options.services()), options, notes);
    List<SidecarService> services = ports.services();
    ObjectNode sidecar = null;
    if (!services.isEmpty()) {
      sidecar = SidecarContainer.render(options, mode, services, ports.metrics(), SidecarContainer.Sizing.of(task),
          logConfiguration(task, services, notes));
    } else if (mode == NetworkMode.AWSVPC) {
      throw new InjectException("networkMode awsvpc with no --service: the sidecar is server-only, and an awsvpc "
          + "task's containers cannot call the namespace's aliases through Tether (docs/ecs.md), so it would do "
          + "nothing; serve a --service, or leave the task as it is");
    } else {
      notes.add("no --service, so no " + SidecarContainer.NAME + " is added (it serves a task's services, and this "
          + "task serves none); its containers still call the namespace's aliases by name through the host agent");
    }
    AppContainers.wire(task, sidecar != null, options, notes);
    if (sidecar != null) {
      task.containers.add(sidecar);
    }
    if (mode == NetworkMode.AWSVPC) {
      notes.add("awsvpc mode: the sidecar serves this task's services and talks to the control plane directly; "
          + "the task's containers cannot call the namespace's aliases by name, since the host agent serves names "
          + "and egress on the host's network, which the task's ENI does not reach (docs/ecs.md)");
    }
    return new Injection((ObjectNode) copy, notes);
  }

  /**
   * The log configuration of the first served container (else of the first that has one), so the
   * sidecar's logs go where the task's go; not a FireLens one, which would make it depend on the log router.
   */
  private static JsonNode logConfiguration(TaskDefinition task, List<SidecarService> services, List<String> notes) {
    List<String> order = new ArrayList<>();
    services.forEach(s -> order.add(s.container()));
    order.addAll(task.containerNames());
    for (String name : order) {
      JsonNode log = task.container(name).get("logConfiguration");
      if (log != null && log.isObject()) {
        if (log.path("logDriver").asText().equals("awsfirelens")) {
          notes.add("the " + SidecarContainer.NAME + " container keeps Docker's default logging: '" + name
              + "' logs through FireLens, which the sidecar does not wait for");
          return null;
        }
        return log;
      }
    }
    return null;
  }
}
