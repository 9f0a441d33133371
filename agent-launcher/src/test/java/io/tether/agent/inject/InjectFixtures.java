package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.agent.Cli;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** What the inject tests share: a base task definition, options per mode, running the injector or the CLI. */
final class InjectFixtures {
  private InjectFixtures() {}

  static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tether/prod/agent-token-Ab12Cd";
  static final String SIDECAR = SidecarContainer.NAME;

  /** An awsvpc task; {@link #task} edits it into the mode a test needs. */
  static final String BASE = """
      {
        "family": "payments",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "networkMode": "awsvpc",
        "containerDefinitions": [
          {
            "name": "app",
            "image": "example/payments:1",
            "memory": 512,
            "portMappings": [{"name": "http", "containerPort": 8080, "protocol": "tcp", "appProtocol": "http"}]
          }
        ]
      }
      """;

  static ObjectNode task(Consumer<ObjectNode> edit) {
    ObjectNode task = (ObjectNode) TaskDefinitionJson.read("base", BASE.getBytes(StandardCharsets.UTF_8));
    edit.accept(task);
    return task;
  }

  static ObjectNode task(String networkMode) {
    return task(t -> t.put("networkMode", networkMode));
  }

  /** Bridge and host modes: the host agent relays, so the namespace is all inject needs. */
  static InjectOptions.Builder options() {
    return InjectOptions.builder().namespace("prod");
  }

  /** awsvpc mode: the sidecar talks to the control plane directly. */
  static InjectOptions.Builder awsvpc() {
    return options().controlPlane(URI.create("http://tether.internal:8700")).tokenSecret(SECRET);
  }

  static ServiceRequest payments() {
    return new ServiceRequest("app", "http", "payments", null);
  }

  static Injection inject(ObjectNode task, InjectOptions.Builder options) {
    return TaskDefinitionInjector.inject(task, options.build());
  }

  static JsonNode container(JsonNode task, String name) {
    for (JsonNode c : task.get("containerDefinitions")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name);
  }

  static JsonNode sidecar(JsonNode task) {
    return container(task, SIDECAR);
  }

  /** The sidecar's environment variable {@code name}, or null. */
  static String env(JsonNode task, String name) {
    for (JsonNode e : sidecar(task).get("environment")) {
      if (e.get("name").asText().equals(name)) {
        return e.get("value").asText();
      }
    }
    return null;
  }

  static List<String> envNames(JsonNode task) {
    return sidecar(task).get("environment").findValuesAsText("name");
  }

  /**
   * The output with everything inject adds taken out again: the sidecar, the dependsOn on it, the host
   * agent's DNS server, the hosts mount and its volume. Arrays left empty go (the fixtures have none).
   */
  static JsonNode withoutInjected(JsonNode output, String hostDns) {
    ObjectNode copy = output.deepCopy();
    ObjectNode task = copy.has("containerDefinitions") ? copy : (ObjectNode) copy.get("taskDefinition");
    removeWhere(task, "volumes", v -> v.path("name").asText().equals(AppContainers.HOSTS_VOLUME));
    ArrayNode containers = (ArrayNode) task.get("containerDefinitions");
    for (Iterator<JsonNode> it = containers.elements(); it.hasNext(); ) {
      ObjectNode c = (ObjectNode) it.next();
      if (c.get("name").asText().equals(SIDECAR)) {
        it.remove();
        continue;
      }
      removeWhere(c, "dependsOn", d -> d.path("containerName").asText().equals(SIDECAR));
      removeWhere(c, "dnsServers", s -> s.asText().equals(hostDns));
      removeWhere(c, "mountPoints", m -> m.path("sourceVolume").asText().equals(AppContainers.HOSTS_VOLUME));
    }
    return copy;
  }

  private static void removeWhere(ObjectNode node, String field, Predicate<JsonNode> injected) {
    JsonNode array = node.get(field);
    if (array == null) {
      return;
    }
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      if (injected.test(it.next())) {
        it.remove();
      }
    }
    if (array.isEmpty()) {
      node.remove(field);
    }
  }

  static List<String> toList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static Cli runInject(String taskDefinition, String... args) {
    try {
      Path file = Files.createTempFile("task-definition", ".json");
      try {
        Files.writeString(file, taskDefinition);
        List<String> all = new ArrayList<>(List.of("inject", file.toString()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
      } finally {
        Files.delete(file);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
