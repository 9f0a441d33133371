package io.tether.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tether server --tokens-file}: JSON or YAML, the same tokens either way. */
class TokenFileTest {
  @TempDir Path dir;

  @Test
  void aYamlTokensFileGrantsWhatItsJsonTwinGrants() throws Exception {
    Path yaml = Files.writeString(dir.resolve("tokens.yaml"), """
        tokens:
          - {name: ops, token: ops-token-0123456789, role: ADMIN}
          - name: prod-agents
            token: prod-agent-token-0123456789
            role: AGENT
            namespace: prod
        """);
    Path json = Files.writeString(dir.resolve("tokens.json"), "{\"tokens\": ["
        + "{\"name\": \"ops\", \"token\": \"ops-token-0123456789\", \"role\": \"ADMIN\"},"
        + "{\"name\": \"prod-agents\", \"token\": \"prod-agent-token-0123456789\", \"role\": \"AGENT\", \"namespace\": \"prod\"}]}");
    for (Path file : new Path[] {yaml, json}) {
      TokenAuthenticator tokens = TokenAuthenticator.fromFile(file);
      assertThat(tokens.authenticate("Bearer ops-token-0123456789")).get()
          .satisfies(c -> assertThat(c.role()).isEqualTo(Role.ADMIN));
      assertThat(tokens.authenticate("Bearer prod-agent-token-0123456789")).get()
          .satisfies(c -> assertThat(c.canRegisterIn("prod")).isTrue())
          .satisfies(c -> assertThat(c.canRegisterIn("staging")).isFalse());
      assertThat(tokens.authenticate("Bearer not-a-token-0123456789")).as(file.toString()).isEmpty();
    }
  }

  @Test
  void aYamlFileThatIsNotYamlSaysWhichFileAndWhy() throws Exception {
    Path broken = Files.writeString(dir.resolve("tokens.yml"), "tokens: [ {name: ops\n");
    assertThatThrownBy(() -> TokenAuthenticator.fromFile(broken))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens.yml is not valid YAML");
  }
}
