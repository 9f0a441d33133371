package io.tether.agent.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.tether.agent.Cli;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/** What the inject tests share: a base task definition, the default options, running the injector or the CLI. */
final class InjectFixtures {
  private InjectFixtures() {}

  static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tether/prod/agent-token-Ab12Cd";

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

  static InjectOptions.Builder options() {
    return InjectOptions.builder().namespace("prod").xds("tether.internal", 18000).tokenSecret(SECRET);
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

  static JsonNode envoy(JsonNode task) {
    return container(task, "envoy");
  }

  /** The output as it was before inject: no envoy container, no dependsOn on it. */
  static JsonNode withoutSidecar(JsonNode output) {
    ObjectNode copy = output.deepCopy();
    ArrayNode containers = (ArrayNode) copy.get("containerDefinitions");
    for (Iterator<JsonNode> it = containers.elements(); it.hasNext(); ) {
      JsonNode c = it.next();
      if (c.get("name").asText().equals("envoy")) {
        it.remove();
        continue;
      }
      ArrayNode dependsOn = (ArrayNode) c.get("dependsOn");
      if (dependsOn != null) {
        for (Iterator<JsonNode> d = dependsOn.elements(); d.hasNext(); ) {
          if (d.next().get("containerName").asText().equals("envoy")) {
            d.remove();
          }
        }
        if (dependsOn.isEmpty()) {
          ((ObjectNode) c).remove("dependsOn");
        }
      }
    }
    return copy;
  }

  static List<String> toList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static Bootstrap parseStrictly(String json) throws Exception {
    Bootstrap.Builder b = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(EnvoyBootstrap.typeRegistry()).merge(json, b);
    return b.build();
  }

  static Cli runInject(String taskDefinition, String... args) {
    try {
      Path file = java.nio.file.Files.createTempFile("task-definition", ".json");
      try {
        java.nio.file.Files.writeString(file, taskDefinition);
        List<String> all = new ArrayList<>(List.of("inject", file.toString()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
      } finally {
        java.nio.file.Files.delete(file);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
