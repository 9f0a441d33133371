package io.tether.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tether.agent.Cli;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code agent inject} reads a YAML task definition as it reads the same one in JSON. */
class InjectYamlTest {
  private static final String TASK = "{\"family\":\"payments\",\"networkMode\":\"bridge\",\"containerDefinitions\":"
      + "[{\"name\":\"app\",\"image\":\"example/payments:1\",\"memory\":512,\"portMappings\":[{\"name\":\"http\","
      + "\"containerPort\":8080,\"protocol\":\"tcp\",\"appProtocol\":\"http\"}]}]}";

  @Test
  void aYamlTaskDefinitionGivesTheSameResultAsItsJson() throws Exception {
    Path dir = TestEtcd.tempDir("inject-yaml");
    Path json = Files.writeString(dir.resolve("task.json"), TASK);
    Path yaml = Files.writeString(dir.resolve("task.yaml"),
        new YAMLMapper().writeValueAsString(new ObjectMapper().readTree(TASK)));
    Cli fromJson = Cli.run("inject", json.toString(), "-n", "prod", "--service", "app:http");
    Cli fromYaml = Cli.run("inject", yaml.toString(), "-n", "prod", "--service", "app:http");
    assertThat(fromJson.exitCode()).as(fromJson.err()).isZero();
    assertThat(fromYaml.exitCode()).as(fromYaml.err()).isZero();
    assertThat(fromYaml.out()).isEqualTo(fromJson.out()).contains("tether-sidecar");
    Cli broken = Cli.run("inject", Files.writeString(dir.resolve("bad.yml"), "family: a\nfamily: b\n").toString(),
        "-n", "prod");
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err()).contains("bad.yml is not valid YAML: Duplicate field 'family'").hasLineCount(1);
  }
}
