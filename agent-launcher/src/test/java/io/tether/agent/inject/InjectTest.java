package io.tether.agent.inject;

import static io.tether.agent.inject.InjectFixtures.BASE;
import static io.tether.agent.inject.InjectFixtures.SECRET;
import static io.tether.agent.inject.InjectFixtures.container;
import static io.tether.agent.inject.InjectFixtures.envoy;
import static io.tether.agent.inject.InjectFixtures.inject;
import static io.tether.agent.inject.InjectFixtures.options;
import static io.tether.agent.inject.InjectFixtures.parseStrictly;
import static io.tether.agent.inject.InjectFixtures.runInject;
import static io.tether.agent.inject.InjectFixtures.task;
import static io.tether.agent.inject.InjectFixtures.withoutSidecar;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.tether.agent.Cli;
import io.tether.agent.Golden;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.xds.render.PgvChecker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

}
