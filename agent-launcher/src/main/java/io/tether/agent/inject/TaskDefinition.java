package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ECS task definition being edited in place, read for what the sidecar needs and checked for the
 * mistakes that would make the injected result wrong: duplicate container names, duplicate port
 * mapping names within a container, a container already named like the sidecar. Everything it does
 * not read stays as it was.
 */
final class TaskDefinition {
  final ObjectNode root;
  final ArrayNode containers;
  final NetworkMode networkMode;
  private final Map<String, ObjectNode> byName = new LinkedHashMap<>();
  private final Map<String, List<PortMapping>> portMappings = new HashMap<>();

  private TaskDefinition(ObjectNode root, ArrayNode containers) {
    this.root = root;
    this.containers = containers;
    this.networkMode = NetworkMode.of(root.get("networkMode"));
  }

  /**
   * The task definition in {@code input}: a RegisterTaskDefinition request, or the output of
   * {@code aws ecs describe-task-definition} (its {@code taskDefinition}, edited inside the wrapper).
   */
  static TaskDefinition of(JsonNode input, String sidecarName) {
    if (input == null || !input.isObject()) {
      throw new InjectException("the task definition must be a JSON object");
    }
    ObjectNode root = (ObjectNode) input;
    if (!root.has("containerDefinitions") && root.path("taskDefinition").isObject()) {
      root = (ObjectNode) root.get("taskDefinition");
    }
    JsonNode containers = root.get("containerDefinitions");
    if (containers == null || !containers.isArray() || containers.isEmpty()) {
      throw new InjectException("containerDefinitions is missing or empty: is this an ECS task definition?");
    }
    TaskDefinition task = new TaskDefinition(root, (ArrayNode) containers);
    task.index(sidecarName);
    return task;
  }

  private void index(String sidecarName) {
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < containers.size(); i++) {
      JsonNode container = containers.get(i);
      String where = "containerDefinitions[" + i + "]";
      if (!container.isObject() || !container.path("name").isTextual() || container.get("name").asText().isEmpty()) {
        throw new InjectException(where + ".name is missing");
      }
      String name = container.get("name").asText();
      Integer earlier = firstIndex.putIfAbsent(name, i);
      if (earlier != null) {
        throw new InjectException(where + ".name '" + name + "' is also the name of containerDefinitions["
            + earlier + "]: container names must be unique in a task definition");
      }
      if (name.equals(sidecarName)) {
        throw new InjectException(where + " is already named '" + sidecarName + "': the sidecar was injected "
            + "already, or that container needs another name");
      }
      byName.put(name, (ObjectNode) container);
      portMappings.put(name, readPortMappings(name, container.get("portMappings")));
    }
  }

  private static List<PortMapping> readPortMappings(String container, JsonNode node) {
    List<PortMapping> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new InjectException("container '" + container + "' portMappings must be a list");
    }
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      PortMapping mapping = PortMapping.read(container, i, node.get(i));
      if (mapping.name() != null) {
        Integer earlier = names.putIfAbsent(mapping.name(), i);
        if (earlier != null) {
          throw new InjectException(PortMapping.where(container, i) + ".name '" + mapping.name()
              + "' is also the name of portMappings[" + earlier + "]: port mapping names must be unique");
        }
      }
      out.add(mapping);
    }
    return out;
  }

  ObjectNode container(String name) {
    return byName.get(name);
  }

  List<String> containerNames() {
    return List.copyOf(byName.keySet());
  }

  List<PortMapping> portMappings(String container) {
    return portMappings.getOrDefault(container, List.of());
  }

  List<PortMapping> allPortMappings() {
    List<PortMapping> all = new ArrayList<>();
    byName.keySet().forEach(name -> all.addAll(portMappings(name)));
    return all;
  }

  /** The family, or null. */
  String family() {
    JsonNode family = root.get("family");
    return family != null && family.isTextual() ? family.asText() : null;
  }

  /** True when {@code requiresCompatibilities} lists {@code launchType} (EC2, EXTERNAL, FARGATE). */
  boolean requiresCompatibility(String launchType) {
    for (JsonNode c : root.path("requiresCompatibilities")) {
      if (c.asText().equals(launchType)) {
        return true;
      }
    }
    return false;
  }

  /** True when the task sets {@code field} at task level (e.g. memory, cpu, executionRoleArn). */
  boolean hasTaskLevel(String field) {
    JsonNode value = root.get(field);
    return value != null && !value.isNull() && !value.asText().isEmpty();
  }
}
