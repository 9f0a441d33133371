package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The control API's view of a task: what DescribeTasks tells (lastStatus, desiredStatus, stopCode,
 * stoppedReason, per container its exit code and reason) and what only the emulation knows (each
 * container's PID 1, network namespace and address, Docker's own status names, its metadata URI).
 */
final class ControlJson {
  private ControlJson() {}

  static ObjectNode task(EcsTask t) {
    synchronized (t) {
      ObjectNode out = GoJson.object();
      out.put("taskArn", t.arn);
      out.put("taskId", t.id);
      out.put("family", t.def.family());
      out.put("revision", t.def.revision());
      out.put("networkMode", t.def.networkMode());
      out.put("lastStatus", t.known.backend());
      out.put("knownStatus", t.known.name());
      out.put("desiredStatus", t.desiredStatus());
      out.put("stopCode", t.stopCode);
      out.put("stoppedReason", t.stoppedReason);
      GoJson.time(out, "executionStoppedAt", t.executionStoppedAt);
      ArrayNode containers = out.putArray("containers");
      t.containers.forEach(c -> containers.add(container(c)));
      return out;
    }
  }

  private static ObjectNode container(EcsContainer c) {
    ObjectNode out = GoJson.object();
    out.put("name", c.name());
    out.put("dockerId", c.dockerId);
    out.put("dockerName", c.dockerName);
    out.put("lastStatus", c.known.backend());
    out.put("knownStatus", c.known.name());
    out.put("desiredStatus", c.desiredStatus());
    if (c.exitCode != null) {
      out.put("exitCode", c.exitCode);
    } else {
      out.putNull("exitCode");
    }
    out.put("reason", c.reason);
    out.put("health", c.health == null ? null : c.health.status().name());
    out.put("pid", c.pid);
    out.put("netns", c.netns);
    out.put("ip", c.ip);
    out.put("metadataUri", ContainerConfig.METADATA + "/v4/" + c.endpointId);
    GoJson.time(out, "createdAt", c.createdAt);
    GoJson.time(out, "startedAt", c.startedAt);
    GoJson.time(out, "finishedAt", c.finishedAt);
    ArrayNode ports = out.putArray("hostPorts");
    c.ports.forEach(p -> ports.add(GoJson.object().put("containerPort", p.containerPort()).put("hostPort", p.hostPort())
        .put("protocol", p.protocol())));
    return out;
  }
}
