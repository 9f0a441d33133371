package io.tether.testbed.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ECS task definition as the emulation runs it: what {@code tether agent inject} prints, or the output of
 * {@code aws ecs describe-task-definition} (whose {@code taskDefinition} it unwraps). The checks are
 * RegisterTaskDefinition's that matter here, refused with its {@code ClientException} wording.
 */
record TaskDefinition(String family, String revision, String networkMode, List<ContainerDefinition> containers,
    Map<String, String> hostVolumes, String cpu, String memory) {
  static final Set<String> CONDITIONS = Set.of("START", "COMPLETE", "SUCCESS", "HEALTHY", "CREATE");

  static TaskDefinition parse(JsonNode json) {
    JsonNode td = json.has("taskDefinition") ? json.get("taskDefinition") : json;
    String family = ContainerDefinition.text(td, "family");
    if (family == null || family.isBlank()) {
      throw new IllegalArgumentException("ClientException: Family must not be blank");
    }
    List<ContainerDefinition> containers = new ArrayList<>();
    td.path("containerDefinitions").forEach(c -> containers.add(ContainerDefinition.parse(c)));
    if (containers.isEmpty()) {
      throw new IllegalArgumentException("ClientException: Container list cannot be empty.");
    }
    Map<String, String> volumes = new LinkedHashMap<>();
    td.path("volumes").forEach(v -> volumes.put(v.path("name").asText(),
        v.path("host").hasNonNull("sourcePath") ? v.path("host").get("sourcePath").asText() : null));
    TaskDefinition def = new TaskDefinition(family, td.path("revision").asText("1"), td.path("networkMode").asText("bridge"),
        List.copyOf(containers), volumes, ContainerDefinition.text(td, "cpu"), ContainerDefinition.text(td, "memory"));
    def.check();
    return def;
  }

  ContainerDefinition container(String name) {
    return containers.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  private void check() {
    Set<String> names = new HashSet<>();
    for (ContainerDefinition c : containers) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("ClientException: Duplicate container name " + c.name());
      }
    }
    if (containers.stream().noneMatch(ContainerDefinition::essential)) {
      throw new IllegalArgumentException("ClientException: A task definition must have at least one essential container.");
    }
    for (ContainerDefinition c : containers) {
      checkContainer(c, names);
    }
  }

  private void checkContainer(ContainerDefinition c, Set<String> names) {
    for (ContainerDefinition.DependsOn d : c.dependsOn()) {
      if (!names.contains(d.containerName()) || d.containerName().equals(c.name())) {
        throw new IllegalArgumentException("ClientException: container " + c.name() + " dependsOn unknown container "
            + d.containerName());
      }
      if (!CONDITIONS.contains(d.condition())) {
        throw new IllegalArgumentException("ClientException: dependsOn condition " + d.condition() + " (one of " + CONDITIONS + ")");
      }
    }
    for (ContainerDefinition.MountPoint m : c.mountPoints()) {
      if (!hostVolumes.containsKey(m.sourceVolume())) {
        throw new IllegalArgumentException("ClientException: mountPoints of " + c.name() + " name unknown volume "
            + m.sourceVolume());
      }
    }
    if (!c.links().isEmpty() && !networkMode.equals("bridge")) {
      throw new IllegalArgumentException("ClientException: links are not supported with networkMode " + networkMode);
    }
    if (networkMode.equals("host")) {
      for (ContainerDefinition.PortMapping p : c.portMappings()) {
        if (p.hostPort() != 0 && p.hostPort() != p.containerPort()) {
          throw new IllegalArgumentException("ClientException: When networkMode=host, containerPort and hostPort must "
              + "be equal (" + c.name() + ": " + p.containerPort() + " / " + p.hostPort() + ")");
        }
      }
    }
  }
}
