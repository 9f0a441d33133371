package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The task metadata endpoint's JSON, v4 and v3: ecs-agent/tmds/handlers/v2/response.go (TaskResponse,
 * ContainerResponse), ecs-agent/tmds/handlers/v4/state/response.go (the v4 additions), built as in
 * agent/handlers/v2/response.go, agent/handlers/v4/response.go and agent/handlers/v4/tmdsstate.go. Field
 * order is Go's for the embedded structs: v4's own {@code Containers} and {@code Networks} come after the v2
 * fields they shadow. A task lists its pulled and created containers (not those still waiting to be pulled);
 * {@code Health} is there only for a container with a health check, and without {@code status} while it is
 * UNKNOWN. Callers hold the task's monitor.
 */
final class TaskMetadataJson {
  /** What the agent knows of the instance and puts in every task response. */
  record Instance(String cluster, String availabilityZone) {}

  private TaskMetadataJson() {}

  static ObjectNode task(EcsTask t, Instance instance, boolean v4) {
    ObjectNode out = GoJson.object();
    out.put("Cluster", instance.cluster());
    out.put("TaskARN", t.arn);
    out.put("Family", t.def.family());
    out.put("Revision", t.def.revision());
    out.put("DesiredStatus", t.desiredStatus());
    out.put("KnownStatus", t.known.name());
    List<JsonNode> containers = new ArrayList<>();
    for (EcsContainer c : t.containers) {
      if (c.created() || c.image != null) {
        containers.add(container(t, c, v4));
      }
    }
    if (!v4) {
      GoJson.array(out, "Containers", containers);
    }
    limits(out, t.def);
    GoJson.time(out, "PullStartedAt", t.pullStartedAt);
    GoJson.time(out, "PullStoppedAt", t.pullStoppedAt);
    GoJson.time(out, "ExecutionStoppedAt", t.executionStoppedAt);
    GoJson.text(out, "AvailabilityZone", instance.availabilityZone());
    if (v4) {
      out.put("LaunchType", "EXTERNAL");
      GoJson.array(out, "Containers", containers);
      out.put("FaultInjectionEnabled", false);
    }
    return out;
  }

  static ObjectNode container(EcsTask t, EcsContainer c, boolean v4) {
    ObjectNode out = GoJson.object();
    out.put("DockerId", c.created() ? c.dockerId : "");
    out.put("Name", c.name());
    out.put("DockerName", c.created() ? c.dockerName : "");
    out.put("Image", c.def.image());
    out.put("ImageID", c.image == null ? "" : c.image.id());
    List<JsonNode> ports = new ArrayList<>();
    for (EcsContainer.PortBinding p : c.ports) {
      ObjectNode port = IntrospectionJson.port(p.containerPort(), p.protocol(), p.hostPort());
      if (v4) {
        GoJson.text(port, "HostIp", p.bindIp());
      }
      ports.add(port);
    }
    GoJson.array(out, "Ports", ports);
    GoJson.map(out, "Labels", c.labels);
    out.put("DesiredStatus", c.desiredStatus());
    out.put("KnownStatus", c.known.name());
    if (c.exitCode != null) {
      out.put("ExitCode", c.exitCode);
    }
    ObjectNode limits = out.putObject("Limits");
    GoJson.number(limits, "CPU", Math.max(c.def.cpu(), 2)); // the agent reports at least 2 CPU shares
    limits.put("Memory", c.def.memory());
    GoJson.time(out, "CreatedAt", c.createdAt);
    GoJson.time(out, "StartedAt", c.startedAt);
    GoJson.time(out, "FinishedAt", c.finishedAt);
    out.put("Type", "NORMAL");
    if (!v4) {
      GoJson.array(out, "Networks", networks(t, c));
    }
    health(out, c);
    GoJson.array(out, "Volumes", volumes(c));
    if (v4) {
      GoJson.text(out, "LogDriver", c.def.logDriver());
      GoJson.map(out, "LogOptions", c.def.logOptions());
      GoJson.text(out, "ContainerARN", c.containerArn);
      GoJson.array(out, "Networks", networks(t, c));
    }
    return out;
  }

  /**
   * Docker's NetworkSettings.Networks of a created container: its network mode and address; the address is
   * "" in host and none mode, and once the container has stopped (Docker clears it with the sandbox).
   */
  private static List<JsonNode> networks(EcsTask t, EcsContainer c) {
    if (!c.created()) {
      return List.of();
    }
    ObjectNode n = GoJson.object();
    n.put("NetworkMode", t.def.networkMode());
    String ip = c.ip != null && c.known != ContainerStatus.STOPPED ? c.ip : "";
    n.putArray("IPv4Addresses").add(ip);
    return List.of(n);
  }

  private static void health(ObjectNode out, EcsContainer c) {
    if (c.health == null) {
      return;
    }
    ObjectNode h = out.putObject("Health");
    if (c.health.status() != ContainerHealth.Status.UNKNOWN) {
      h.put("status", c.health.status().name());
    }
    GoJson.time(h, "statusSince", c.health.since());
    if (c.health.exitCode() != 0) {
      h.put("exitCode", c.health.exitCode());
    }
    GoJson.text(h, "output", c.health.output());
  }

  /** Docker's Mounts of the container's bind mounts: no name, the host path, the path inside. */
  static List<JsonNode> volumes(EcsContainer c) {
    List<JsonNode> out = new ArrayList<>();
    if (!c.created()) {
      return out;
    }
    for (ContainerConfig.Mount m : c.mounts) {
      if (m.declaredSource() != null) {
        ObjectNode v = GoJson.object();
        v.put("Source", m.declaredSource());
        v.put("Destination", m.target());
        out.add(v);
      }
    }
    return out;
  }

  /** The task's {@code cpu} (in vCPUs, from CPU units or "N vCPU") and {@code memory} (MiB, or "N GB"). */
  private static void limits(ObjectNode out, TaskDefinition def) {
    Double cpu = parse(def.cpu(), "vcpu", 1.0 / 1024, 1);
    Double memory = parse(def.memory(), "gb", 1, 1024);
    if (cpu != null || memory != null) {
      ObjectNode limits = out.putObject("Limits");
      if (cpu != null) {
        GoJson.number(limits, "CPU", cpu);
      }
      if (memory != null) {
        limits.put("Memory", memory.longValue());
      }
    }
  }

  private static Double parse(String value, String unit, double plain, double withUnit) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim().toLowerCase();
    try {
      return v.endsWith(unit) ? Double.parseDouble(v.substring(0, v.length() - unit.length()).trim()) * withUnit
          : Double.parseDouble(v) * plain;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The agent's error for an unknown endpoint ID (a JSON string, with status 404), as v4 words it. */
  static String notFound(String endpointId, boolean task) {
    return task ? "V4 task metadata handler: unable to get task arn from request: unable to get task Arn from v3 endpoint ID: "
        + endpointId : "V4 container metadata handler: unable to get container ID from request: unable to get docker ID "
        + "from v3 endpoint ID: " + endpointId;
  }
}
