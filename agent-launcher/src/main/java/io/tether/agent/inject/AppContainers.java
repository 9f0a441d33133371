package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the task's other containers get (docs/ecs.md, "Task definition"):
 * <ul>
 *   <li>{@code dependsOn} START on the sidecar, so ECS starts it first and stops it last: Envoy outlives
 *       the apps' last request;
 *   <li>the namespace's names from the host agent: in bridge mode its DNS server, first in
 *       {@code dnsServers}; in host mode the host's own {@code /etc/hosts}, bind-mounted read-only, since
 *       Docker gives a host-mode container a copy taken at creation that no later alias would reach.
 * </ul>
 * A FireLens log router gets none of it: it must wait for nothing, and calls no alias.
 */
final class AppContainers {
  private AppContainers() {}

  static final String HOSTS_VOLUME = "tether-hosts";
  static final String HOSTS_PATH = "/etc/hosts";

  /** @param sidecar false when no sidecar is added: the containers only get their names wired */
  static void wire(TaskDefinition task, boolean sidecar, InjectOptions options, List<String> notes) {
    if (task.networkMode == NetworkMode.HOST) {
      addHostsVolume(task);
    }
    for (String name : task.containerNames()) {
      ObjectNode container = task.container(name);
      if (container.has("firelensConfiguration")) {
        continue;
      }
      if (sidecar) {
        array(container, name, "dependsOn").addObject()
            .put("containerName", SidecarContainer.NAME).put("condition", "START");
      }
      switch (task.networkMode) {
        case BRIDGE -> prependDnsServer(container, name, options.effectiveHostDns(), notes);
        case HOST -> mountHosts(container, name);
        case AWSVPC -> { } // no host agent to ask: see docs/ecs.md
      }
    }
  }

  /** Ours first, theirs kept after it: the resolver asks them only when the host agent does not answer. */
  private static void prependDnsServer(ObjectNode container, String name, String hostDns, List<String> notes) {
    ArrayNode servers = array(container, name, "dnsServers");
    List<String> theirs = new ArrayList<>();
    servers.forEach(s -> theirs.add(s.asText()));
    theirs.remove(hostDns);
    servers.removeAll();
    servers.add(hostDns);
    theirs.forEach(servers::add);
    if (!theirs.isEmpty()) {
      notes.add("container '" + name + "' keeps its dnsServers " + String.join(", ", theirs) + " after the host "
          + "agent's " + hostDns + ": they are asked only when the host agent does not answer, and know no alias");
    }
  }

  private static void mountHosts(ObjectNode container, String name) {
    ArrayNode mounts = array(container, name, "mountPoints");
    for (int i = 0; i < mounts.size(); i++) {
      if (mounts.get(i).path("containerPath").asText().equals(HOSTS_PATH)) {
        throw new InjectException("container '" + name + "' mountPoints[" + i + "] mounts " + HOSTS_PATH + " "
            + "already: in host mode the sidecar mounts the host's " + HOSTS_PATH + " there, where the host agent "
            + "keeps the aliases; remove that mount point");
      }
    }
    mounts.addObject().put("sourceVolume", HOSTS_VOLUME).put("containerPath", HOSTS_PATH).put("readOnly", true);
  }

  private static void addHostsVolume(TaskDefinition task) {
    ArrayNode volumes = array(task.root, "the task", "volumes");
    for (JsonNode v : volumes) {
      if (v.path("name").asText().equals(HOSTS_VOLUME)) {
        throw new InjectException("volumes has one named '" + HOSTS_VOLUME + "' already: the sidecar was injected "
            + "already, or that volume needs another name");
      }
    }
    volumes.addObject().put("name", HOSTS_VOLUME).putObject("host").put("sourcePath", HOSTS_PATH);
  }

  /** The list {@code field} of {@code node}, made when absent. */
  private static ArrayNode array(ObjectNode node, String name, String field) {
    JsonNode existing = node.get(field);
    if (existing == null || existing.isNull()) {
      return node.putArray(field);
    }
    if (!existing.isArray()) {
      throw new InjectException((name.equals("the task") ? "" : "container '" + name + "' ") + field
          + " must be a list");
    }
    return (ArrayNode) existing;
  }
}
