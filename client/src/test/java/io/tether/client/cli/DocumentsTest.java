package io.tether.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentsTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void yamlIsToldByExtensionOrElseByContent() {
    assertThat(Documents.isYaml("spec.yaml", bytes("{}"))).isTrue();
    assertThat(Documents.isYaml("spec.YML", bytes("{}"))).isTrue();
    assertThat(Documents.isYaml("spec.json", bytes("a: 1"))).isFalse();
    assertThat(Documents.isYaml("-", bytes("  \n{\"a\": 1}"))).isFalse();
    assertThat(Documents.isYaml("-", bytes("[1]"))).isFalse();
    assertThat(Documents.isYaml("spec", bytes("a: 1"))).isTrue();
  }

  @Test
  void yamlBecomesTheSameJsonAndJsonIsPassedAsItIs() throws Exception {
    Path yaml = Files.writeString(dir.resolve("s.yaml"), "portName: http\nclientAliases:\n  - {dnsName: a, port: 80}\n");
    assertThat(new String(Documents.readAsJson(yaml), StandardCharsets.UTF_8))
        .isEqualTo("{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"a\",\"port\":80}]}");
    Path json = Files.writeString(dir.resolve("s.json"), "{ \"portName\" : \"http\" }");
    assertThat(Documents.readAsJson(json)).isEqualTo(Files.readAllBytes(json));
  }

  @Test
  void mistakesNameTheFile() throws Exception {
    assertThatThrownBy(() -> Documents.read(dir.resolve("none.yaml"))).hasMessage("no such file: " + dir.resolve("none.yaml"));
    Path dup = Files.writeString(dir.resolve("d.yaml"), "a: 1\na: 2\n");
    assertThatThrownBy(() -> Documents.read(dup)).hasMessageStartingWith(dup + " is not valid YAML: Duplicate field 'a'");
    Path bad = Files.writeString(dir.resolve("b.json"), "{\"a\":");
    assertThatThrownBy(() -> Documents.read(bad)).hasMessageStartingWith(bad + " is not valid JSON: ");
    Path empty = Files.writeString(dir.resolve("e.yaml"), "");
    assertThatThrownBy(() -> Documents.read(empty)).hasMessage(empty + " is empty");
  }

  @Test
  void yamlOutputIsPlain() throws Exception {
    var node = io.tether.model.json.Json.MAPPER.readTree("{\"name\":\"prod\",\"items\":[{\"port\":80}]}");
    assertThat(Documents.yaml(node)).isEqualTo("name: prod\nitems:\n  - port: 80\n");
  }
}
