package io.tether.agent.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.tether.agent.Cli;
import io.tether.agent.Golden;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.xds.render.PgvChecker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tether agent inject}: the reviewed golden outputs for awsvpc, bridge and host tasks (and the
 * bootstrap each carries), that nothing of the input is lost, and the exact refusals of the classic
 * mistakes.
 */
class InjectTest {
  static final Path DIR = Golden.ROOT.resolve("inject");
  static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tether/prod/agent-token-Ab12Cd";

  /** A golden case: {@code {name}.input.json} through the CLI with {@code args}. */
  record Case(String name, String... args) {
    @Override
    public String toString() {
      return name;
    }

    Path input() {
      return DIR.resolve(name + ".input.json");
    }

    String[] command() {
      List<String> all = new ArrayList<>(List.of("inject", input().toString()));
      all.addAll(List.of(args));
      return all.toArray(String[]::new);
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("awsvpc", "--namespace", "prod", "--service", "payments:http:payments",
            "--xds", "tether.internal:18000", "--token-secret", SECRET),
        new Case("awsvpc-client-only", "--namespace", "prod", "--xds", "tether.internal:18000", "--token-secret", SECRET),
        new Case("bridge", "--namespace", "prod", "--service", "quotes_api:grpc:quotes",
            "--xds", "10.20.0.5:18000", "--token-secret", SECRET),
        new Case("host", "--namespace", "prod", "--service", "ledger:api:ledger:17070", "--xds", "127.0.0.1:18000",
            "--token-secret", "/tether/prod/agent-token", "--admin-port", "19901",
            "--envoy-image", "registry.example.com/envoy:v1.31.2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void injectedTaskDefinitionMatchesTheReviewedGoldenFile(Case c) {
    Cli cli = Cli.run(c.command());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    Golden.assertMatches(DIR.resolve(c.name() + ".output.json"), cli.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void carriedBootstrapMatchesItsGoldenFileParsesStrictlyAndPassesEnvoysRules(Case c) throws Exception {
    JsonNode output = TaskDefinitionJson.read("output", Cli.run(c.command()).out().getBytes(StandardCharsets.UTF_8));
    String carried = envoy(output).get("environment").get(0).get("value").asText();
    Bootstrap bootstrap = parseStrictly(carried);
    Golden.assertMatches(DIR.resolve(c.name() + ".bootstrap.json"), EnvoyBootstrap.json(bootstrap) + "\n");

    // As the container's command makes it: the placeholders replaced, once each.
    assertThat(carried.split(EnvoyContainer.TOKEN_PLACEHOLDER, -1)).hasSize(2);
    assertThat(carried.split(EnvoyContainer.UUID_PLACEHOLDER, -1)).hasSize(2);
    Bootstrap started = parseStrictly(carried.replace(EnvoyContainer.TOKEN_PLACEHOLDER, "t0ken")
        .replace(EnvoyContainer.UUID_PLACEHOLDER, "6f1c2a52-57a4-4a8e-9d43-0c1e5c7f9b1e"));
    PgvChecker.Report report = new PgvChecker(TypeRegistry.newBuilder().add(EnvoyBootstrap.PACKED_TYPES).build())
        .check(started);
    assertThat(report.violations()).isEmpty();
    assertThat(report.deprecated()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everythingOfTheInputSurvivesAndOnlyTheSidecarAndItsDependenciesAreAdded(Case c) {
    JsonNode input = TaskDefinitionJson.read("input", Golden.read(c.input()).getBytes(StandardCharsets.UTF_8));
    JsonNode output = TaskDefinitionJson.read("output", Cli.run(c.command()).out().getBytes(StandardCharsets.UTF_8));
    assertThat(withoutSidecar(output)).isEqualTo(input);
  }

  @Test
  void everyGoldenFileBelongsToACase() {
    List<String> expected = new ArrayList<>();
    cases().forEach(c -> expected.addAll(List.of(c.name() + ".input.json", c.name() + ".output.json",
        c.name() + ".bootstrap.json")));
    assertThat(Golden.files(DIR)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void awsvpcAppsWaitForTheHealthySidecarAndItsIngressPortIsMapped() {
    JsonNode out = inject(task(t -> { }), options().service(new ServiceRequest("app", "http", "payments", null))).document();
    assertThat(container(out, "app").get("dependsOn").toString())
        .isEqualTo("[{\"containerName\":\"envoy\",\"condition\":\"HEALTHY\"}]");
    assertThat(envoy(out).get("portMappings").toString()).isEqualTo("[{\"containerPort\":15000,\"protocol\":\"tcp\"}]");
    assertThat(envoy(out).get("essential").asBoolean()).isTrue();
    assertThat(envoy(out).get("secrets").toString())
        .isEqualTo("[{\"name\":\"TETHER_TOKEN\",\"valueFrom\":\"" + SECRET + "\"}]");
    assertThat(envoy(out).toString()).doesNotContain("t0ken");
  }

  @Test
  void hostModeAcceptsAnHttpNamedPortWithoutAppProtocolWhichEcsWouldRejectThere() {
    Injection injection = inject(task(t -> t.put("networkMode", "host")),
        options().xds("127.0.0.1", 18000).service(new ServiceRequest("app", "http", null, null)));
    assertThat(envoy(injection.document()).get("portMappings").toString())
        .isEqualTo("[{\"containerPort\":15000,\"hostPort\":15000,\"protocol\":\"tcp\"}]");
  }

  @Test
  void bridgeSidecarLinksToTheServedContainerWhichDoesNotWaitForIt() throws Exception {
    Injection injection = inject(task(t -> t.put("networkMode", "bridge")),
        options().service(new ServiceRequest("app", "http", "payments", null)));
    JsonNode out = injection.document();
    assertThat(envoy(out).get("links").toString()).isEqualTo("[\"app\"]");
    assertThat(container(out, "app").has("dependsOn")).isFalse();
    Bootstrap bootstrap = parseStrictly(envoy(out).get("environment").get(0).get("value").asText());
    assertThat(bootstrap.getStaticResources().getListeners(0).getAddress().getSocketAddress().getPortValue()).isEqualTo(8080);
    assertThat(bootstrap.getStaticResources().getClusters(1).getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
        .getEndpoint().getAddress().getSocketAddress().getAddress()).isEqualTo("app");
    assertThat(injection.notes()).containsExactly("bridge mode: the sidecar reaches the served containers (app) "
        + "over Docker links, so they start before it instead of waiting for it; and no container of this task can "
        + "call other services through it, whose client-alias listeners are on its own loopback (use awsvpc or "
        + "host mode for that)");
  }

  @Test
  void absentNetworkModeIsBridgeAsEcsRunsIt() {
    Injection injection = inject(task(t -> t.remove("networkMode")),
        options().service(new ServiceRequest("app", "http", "payments", null)));
    assertThat(envoy(injection.document()).has("links")).isTrue();
    assertThat(injection.notes()).first().isEqualTo("networkMode is not set, so ECS runs the task in bridge mode");
  }

  @Test
  void defaultIngressPortsSkipPortsTheTaskAlreadyUses() {
    JsonNode out = inject(task(t -> ((ArrayNode) t.get("containerDefinitions").get(0).get("portMappings")).addObject()
            .put("name", "admin").put("containerPort", 15000).put("appProtocol", "http")),
        options().service(new ServiceRequest("app", "http", "payments", null))
            .service(new ServiceRequest("app", "admin", "payments-admin", null))).document();
    assertThat(envoy(out).get("portMappings").findValuesAsText("containerPort")).containsExactly("15001", "15002");
  }

  @Test
  void sidecarIsSizedOnlyWhenTheTaskSizesItsContainers() {
    JsonNode taskSized = inject(task(t -> t.put("cpu", "512").put("memory", "1024")), options()).document();
    assertThat(envoy(taskSized).has("cpu")).isFalse();
    assertThat(envoy(taskSized).has("memoryReservation")).isFalse();
    JsonNode containerSized = inject(task(t -> ((ObjectNode) t.get("containerDefinitions").get(0)).put("cpu", 256)),
        options()).document();
    assertThat(envoy(containerSized).get("cpu").asInt()).isEqualTo(128);
    assertThat(envoy(containerSized).get("memoryReservation").asInt()).isEqualTo(128);
  }

  @Test
  void describeTaskDefinitionOutputIsEditedInsideItsWrapper() {
    ObjectNode wrapped = TaskDefinitionJson.read("t", ("{\"taskDefinition\": " + BASE + ", \"tags\": []}")
        .getBytes(StandardCharsets.UTF_8)).deepCopy();
    JsonNode out = inject(wrapped, options()).document();
    assertThat(out.get("tags").isArray()).isTrue();
    assertThat(envoy(out.get("taskDefinition")).get("name").asText()).isEqualTo("envoy");
  }

  @Test
  void inputTreeIsNotModified() {
    ObjectNode input = task(t -> { });
    ObjectNode before = input.deepCopy();
    inject(input, options());
    assertThat(input).isEqualTo(before);
  }

  @Test
  void unknownFieldsAtEveryLevelAndTheirFormattingSurviveTheRoundTrip() {
    String input = """
        {
          "family": "odd",
          "executionRoleArn": "arn:aws:iam::123456789012:role/x",
          "networkMode": "awsvpc",
          "x-future-task-field": {"nested": [1.50, 2e3, true, null, "s"], "n": 12345678901234},
          "containerDefinitions": [
            {
              "name": "app",
              "x-future-container-field": {"a": [{}]},
              "portMappings": [{"name": "http", "containerPort": 8080, "appProtocol": "http", "x-future": 1}],
              "dependsOn": [{"containerName": "init", "condition": "COMPLETE", "x-future": "y"}]
            },
            {"name": "init", "essential": false}
          ],
          "placementConstraints": [],
          "volumes": [{"name": "data", "host": {"sourcePath": "/srv/data"}}]
        }
        """;
    Cli cli = runInject(input, "--namespace", "prod", "--service", "app:http", "--xds", "tether.internal:18000",
        "--token-secret", SECRET);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("\"nested\": [\n      1.50,\n      2E+3,\n      true,\n      null,\n      \"s\"\n    ]")
        .contains("\"n\": 12345678901234").contains("\"placementConstraints\": []").contains("\"a\": [\n          {}");
    JsonNode out = TaskDefinitionJson.read("out", cli.out().getBytes(StandardCharsets.UTF_8));
    assertThat(withoutSidecar(out)).isEqualTo(TaskDefinitionJson.read("in", input.getBytes(StandardCharsets.UTF_8)));
  }

  // --- refusals -------------------------------------------------------------------------------

  record Refusal(String mistake, Consumer<ObjectNode> edit, InjectOptions.Builder options, String message) {
    @Override
    public String toString() {
      return mistake;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("portName with no matching named port mapping", t -> { },
            options().service(new ServiceRequest("app", "grpc", null, null)),
            "--service app:grpc: container 'app' has no port mapping named 'grpc' (its named port mappings: http)"),
        new Refusal("portName in a container whose port mappings have no names",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).remove("name"),
            options().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' has no port mapping named 'http' (none of its port mappings has a "
                + "name: add \"name\": \"http\" to the one to serve)"),
        new Refusal("http-named port mapping without appProtocol",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).remove("appProtocol"),
            options().service(new ServiceRequest("app", "http", "payments", null)),
            "--service app:http:payments: container 'app' portMappings[0] ('http') has no appProtocol, yet its name "
                + "says HTTP. Without one it is plain TCP to ECS, and a Tether service declared the same way gets no "
                + "per-request timeout, retries or HTTP routing: set \"appProtocol\" to http, http2 or grpc here, and "
                + "the same on the Tether service"),
        new Refusal("grpc-named port mapping without appProtocol",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("name", "public-grpc")
                .remove("appProtocol"),
            options().service(new ServiceRequest("app", "public-grpc", null, null)),
            "--service app:public-grpc: container 'app' portMappings[0] ('public-grpc') has no appProtocol, yet its "
                + "name says HTTP. Without one it is plain TCP to ECS, and a Tether service declared the same way gets "
                + "no per-request timeout, retries or HTTP routing: set \"appProtocol\" to http, http2 or grpc here, "
                + "and the same on the Tether service"),
        new Refusal("appProtocol ECS does not know",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("appProtocol", "HTTP"),
            options().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' portMappings[0] ('http').appProtocol 'HTTP' is not one of ECS's "
                + "http, http2, grpc"),
        new Refusal("duplicate container names",
            t -> ((ArrayNode) t.get("containerDefinitions")).addObject().put("name", "app"), options(),
            "containerDefinitions[1].name 'app' is also the name of containerDefinitions[0]: container names must be "
                + "unique in a task definition"),
        new Refusal("duplicate port mapping names in a container",
            t -> ((ArrayNode) t.at("/containerDefinitions/0/portMappings")).addObject().put("name", "http")
                .put("containerPort", 8081),
            options(), "container 'app' portMappings[1].name 'http' is also the name of portMappings[0]: port mapping "
                + "names must be unique"),
        new Refusal("a container already named envoy",
            t -> ((ArrayNode) t.get("containerDefinitions")).addObject().put("name", "envoy"), options(),
            "containerDefinitions[1] is already named 'envoy': the sidecar was injected already, or that container "
                + "needs another name"),
        new Refusal("a --service container that does not exist", t -> { },
            options().service(new ServiceRequest("web", "http", null, null)),
            "--service web:http: there is no container named 'web' (the task's containers: app)"),
        new Refusal("two services with one discovery name", t -> ((ArrayNode) t.at("/containerDefinitions/0/portMappings"))
                .addObject().put("name", "http-v2").put("containerPort", 8081).put("appProtocol", "http"),
            options().service(new ServiceRequest("app", "http", "payments", null))
                .service(new ServiceRequest("app", "http-v2", "payments", null)),
            "--service app:http-v2:payments and --service app:http:payments both serve discovery name 'payments': "
                + "give one of them another DISCOVERYNAME"),
        new Refusal("a port name that is no DNS label, as discovery name",
            t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0")).put("name", "Web_API"),
            options().service(new ServiceRequest("app", "Web_API", null, null)),
            "--service app:Web_API: discovery name 'Web_API' (the port name) is not a DNS label (lower-case letters, "
                + "digits and '-', at most 63): give one, e.g. --service app:Web_API:web-api"),
        new Refusal("a udp port", t -> ((ObjectNode) t.at("/containerDefinitions/0/portMappings/0"))
                .put("protocol", "udp").remove("appProtocol"),
            options().service(new ServiceRequest("app", "http", null, null)),
            "--service app:http: container 'app' portMappings[0] ('http') is udp: the sidecar proxies tcp only"),
        new Refusal("an ingress port the app holds", t -> { },
            options().service(new ServiceRequest("app", "http", null, 8080)),
            "--service app:http::8080: ingress port 8080 is taken by container 'app' portMappings[0] ('http') (in "
                + "awsvpc mode the task's containers share one network namespace)"),
        new Refusal("an admin port the app holds", t -> { }, options().adminPort(8080),
            "--admin-port 8080 is taken by container 'app' portMappings[0] ('http') (in awsvpc mode the task's "
                + "containers share one network namespace): choose another --admin-port"),
        new Refusal("a loopback xDS address outside host mode", t -> { }, options().xds("127.0.0.1", 18000),
            "--xds 127.0.0.1:18000 is the Envoy container's own loopback in awsvpc mode: give the control plane's "
                + "address as the task reaches it"),
        new Refusal("no task execution role to read the token secret", t -> t.remove("executionRoleArn"), options(),
            "executionRoleArn is missing: ECS reads --token-secret into the Envoy container with the task execution "
                + "role (allow it secretsmanager:GetSecretValue or ssm:GetParameters on " + SECRET + ")"),
        new Refusal("a bridge sidecar that serves nothing", t -> t.put("networkMode", "bridge"), options(),
            "networkMode bridge with no --service: in bridge mode every container has its own network namespace, so "
                + "the apps cannot reach the sidecar's client-alias listeners on its loopback, and a sidecar that "
                + "serves nothing does nothing; serve a --service, or use awsvpc or host mode"),
        new Refusal("bridge containers served on one container port", t -> {
              t.put("networkMode", "bridge");
              ((ArrayNode) t.get("containerDefinitions")).add(((ObjectNode) t.at("/containerDefinitions/0")).deepCopy()
                  .put("name", "app2"));
            },
            options().service(new ServiceRequest("app", "http", "a", null))
                .service(new ServiceRequest("app2", "http", "b", null)),
            "--service app2:http:b: in bridge mode the sidecar forwards each served app's port from its own 127.0.0.1 "
                + "(the control plane sends a service's traffic to 127.0.0.1:appPort), and port 8080 there is already "
                + "the sidecar's forwarder for --service app:http:a: served ports need distinct container ports"),
        new Refusal("networkMode none", t -> t.put("networkMode", "none"), options(),
            "networkMode is 'none': the task has no network for a sidecar to serve or call through; use awsvpc, "
                + "bridge or host"),
        new Refusal("not a task definition", t -> t.remove("containerDefinitions"), options(),
            "containerDefinitions is missing or empty: is this an ECS task definition?"),
        new Refusal("a namespace that is no DNS label", t -> { }, options().namespace("Prod"),
            "--namespace 'Prod' is not a DNS label (lower-case letters, digits and '-', at most 63)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void classicMistakesAreRefusedWithAPreciseMessage(Refusal r) {
    ObjectNode task = task(r.edit());
    assertThatThrownBy(() -> TaskDefinitionInjector.inject(task, r.options().build()))
        .isInstanceOf(InjectException.class)
        .hasMessage(r.message());
  }

  @Test
  void cliRefusalExitsOneWithTheMessageAndPrintsNoTaskDefinition() {
    Cli cli = runInject(BASE, "--namespace", "prod", "--service", "app:grpc", "--xds", "tether.internal:18000",
        "--token-secret", SECRET);
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("tether agent inject: --service app:grpc: container 'app' has no port mapping "
        + "named 'grpc' (its named port mappings: http)\n");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void malformedServiceOptionIsAUsageError() {
    Cli cli = runInject(BASE, "--namespace", "prod", "--service", "app", "--xds", "tether.internal:18000",
        "--token-secret", SECRET);
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains("--service 'app' must be CONTAINER:PORTNAME[:DISCOVERYNAME[:INGRESSPORT]] "
        + "(e.g. app:http or app:http:payments:15000)");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void duplicateJsonKeysAreRefusedNotSilentlyMerged() {
    Cli cli = runInject("{\"family\": \"a\", \"family\": \"b\"}", "--namespace", "prod", "--xds", "tether.internal:18000",
        "--token-secret", SECRET);
    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).startsWith("tether agent inject: ").contains("is not valid JSON: Duplicate field 'family'")
        .contains("(line 1, column ");
  }

  // --- helpers ----------------------------------------------------------------------------------

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

  private static Cli runInject(String taskDefinition, String... args) {
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
