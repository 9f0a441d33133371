package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The introspection API's JSON (ecs-agent/introspection/v1/response.go, built as in
 * agent/handlers/v1/response.go). Only containers Docker has created are listed; {@code Networks} is only
 * ever filled for awsvpc (a task ENI), so never on an external instance; {@code Ports} are the published
 * bindings, or the definition's mappings while there are none (host mode: always the definition's).
 * Callers hold the task's monitor.
 */
final class IntrospectionJson {
  static final String AGENT_VERSION = "Amazon ECS Agent - v1.105.1 (tether-emulation)";

  private IntrospectionJson() {}

  static ObjectNode metadata(String cluster, String containerInstanceArn) {
    ObjectNode m = GoJson.object();
    m.put("Cluster", cluster);
    m.put("ContainerInstanceArn", containerInstanceArn);
    m.put("Version", AGENT_VERSION);
    return m;
  }

  static ObjectNode tasks(List<EcsTask> tasks) {
    ObjectNode out = GoJson.object();
    ArrayNode list = out.putArray("Tasks");
    for (EcsTask t : tasks) {
      synchronized (t) {
        list.add(task(t));
      }
    }
    return out;
  }

  /** The body of a 404 or 400: the agent writes an empty TaskResponse. */
  static ObjectNode emptyTask() {
    ObjectNode t = GoJson.object();
    t.put("Arn", "");
    t.put("KnownStatus", "");
    t.put("Family", "");
    t.put("Version", "");
    t.putNull("Containers");
    return t;
  }

  static ObjectNode task(EcsTask t) {
    ObjectNode out = GoJson.object();
    out.put("Arn", t.arn);
    String known = t.known.backend();
    String desired = t.desiredStopped ? "STOPPED" : "RUNNING";
    // The agent blanks a desired status that contradicts the known one (agent/handlers/v1/response.go).
    GoJson.text(out, "DesiredStatus", known.equals("STOPPED") && !desired.equals("STOPPED") ? "" : desired);
    out.put("KnownStatus", known);
    out.put("Family", t.def.family());
    out.put("Version", t.def.revision());
    ArrayNode containers = out.putArray("Containers");
    for (EcsContainer c : t.containers) {
      if (c.created()) {
        containers.add(container(t, c));
      }
    }
    return out;
  }

  private static ObjectNode container(EcsTask t, EcsContainer c) {
    ObjectNode out = GoJson.object();
    out.put("DockerId", c.dockerId);
    out.put("DockerName", c.dockerName);
    out.put("Name", c.name());
    out.put("Image", c.def.image());
    out.put("ImageID", c.image == null ? "" : c.image.id());
    GoJson.time(out, "CreatedAt", c.createdAt);
    GoJson.time(out, "StartedAt", c.startedAt);
    List<JsonNode> ports = new ArrayList<>();
    if (!c.ports.isEmpty()) {
      c.ports.forEach(p -> ports.add(port(p.containerPort(), p.protocol(), p.hostPort())));
    } else {
      c.def.portMappings().forEach(p -> ports.add(port(p.containerPort(), p.protocol().toLowerCase(), p.hostPort())));
    }
    GoJson.array(out, "Ports", ports);
    GoJson.array(out, "Volumes", TaskMetadataJson.volumes(c));
    return out;
  }

  /** A PortResponse: every field {@code omitempty}, so a dynamic mapping not yet bound has no HostPort. */
  static ObjectNode port(int containerPort, String protocol, int hostPort) {
    ObjectNode p = GoJson.object();
    if (containerPort != 0) {
      p.put("ContainerPort", containerPort);
    }
    GoJson.text(p, "Protocol", protocol);
    if (hostPort != 0) {
      p.put("HostPort", hostPort);
    }
    return p;
  }
}
