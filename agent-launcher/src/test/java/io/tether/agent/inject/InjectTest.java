package io.tether.agent.inject;

import static io.tether.agent.inject.InjectFixtures.SECRET;
import static io.tether.agent.inject.InjectFixtures.runInject;
import static io.tether.agent.inject.InjectFixtures.withoutInjected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.Cli;
import io.tether.agent.Golden;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tether agent inject} through the CLI: the reviewed golden outputs for bridge, host and awsvpc
 * tasks and for describe-task-definition output, with the notes it prints, and that every field of the
 * input survives unchanged and in order.
 */
class InjectTest {
  static final Path DIR = Golden.ROOT.resolve("inject");

  /** A golden case: {@code {name}.input.json} through the CLI with {@code args}. */
  record Case(String name, String hostDns, String... args) {
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
        new Case("bridge", "172.17.0.1", "--namespace", "prod", "--service", "quotes_api:grpc:quotes"),
        new Case("host", null, "--namespace", "prod", "--service", "ledger:api:ledger:17070",
            "--admin-port", "19901", "--drain-seconds", "20", "--lease-ttl", "15", "--host-agent", "127.0.0.1:15101",
            "--sidecar-image", "registry.example.com/tether-sidecar:0.1.0", "--launch-type", "EXTERNAL"),
        new Case("host-described", null, "--namespace", "prod", "--service", "inventory:http-api:inventory"),
        new Case("awsvpc", null, "--namespace", "prod", "--service", "payments:http:payments",
            "--server", "tether.internal:8700", "--token-secret", SECRET, "--launch-type", "EC2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void injectedTaskDefinitionAndNotesMatchTheReviewedGoldenFiles(Case c) {
    Cli cli = Cli.run(c.command());
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    Golden.assertMatches(DIR.resolve(c.name() + ".output.json"), cli.out());
    Golden.assertMatches(DIR.resolve(c.name() + ".notes.txt"), cli.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyFieldOfTheInputSurvivesUnchangedAndInOrder(Case c) {
    JsonNode output = TaskDefinitionJson.read("output", Cli.run(c.command()).out().getBytes(StandardCharsets.UTF_8));
    JsonNode input = TaskDefinitionJson.read("input", Golden.read(c.input()).getBytes(StandardCharsets.UTF_8));
    assertThat(TaskDefinitionJson.print(withoutInjected(output, c.hostDns())))
        .isEqualTo(TaskDefinitionJson.print(input));
  }

  @Test
  void everyGoldenFileBelongsToACase() {
    List<String> expected = new ArrayList<>();
    cases().forEach(c -> expected.addAll(List.of(c.name() + ".input.json", c.name() + ".output.json",
        c.name() + ".notes.txt")));
    assertThat(Golden.files(DIR)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void unknownFieldsAtEveryLevelAndTheirFormattingSurviveTheRoundTrip() {
    String input = """
        {
          "family": "odd",
          "networkMode": "bridge",
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
    Cli cli = runInject(input, "--namespace", "prod", "--service", "app:http");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("\"nested\": [\n      1.50,\n      2E+3,\n      true,\n      null,\n      \"s\"\n    ]")
        .contains("\"n\": 12345678901234").contains("\"placementConstraints\": []").contains("\"a\": [\n          {}");
    JsonNode out = TaskDefinitionJson.read("out", cli.out().getBytes(StandardCharsets.UTF_8));
    assertThat(TaskDefinitionJson.print(withoutInjected(out, InjectOptions.DEFAULT_HOST_DNS)))
        .isEqualTo(TaskDefinitionJson.print(TaskDefinitionJson.read("in", input.getBytes(StandardCharsets.UTF_8))));
  }
}
