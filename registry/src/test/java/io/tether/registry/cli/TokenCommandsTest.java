package io.tether.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import io.tether.registry.testing.RegistryPerClass;
import io.tether.registry.testing.TestRegistry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tether token create|list|get|revoke} against a real registry and etcd (docs/security.md, "Tokens"). */
class TokenCommandsTest {
  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  @BeforeAll
  static void namespace() {
    registry.api().put("/v1/namespaces/prod", "{}").expect(201);
  }

  @Test
  void aTokenIsPrintedOnceListedWithoutItAndRevoked() {
    CliRun created = run("create", "--role", "agent", "-n", "prod", "--name", "prod-hosts", "--ttl", "30d");
    assertThat(created.exit()).as(created.err()).isZero();
    Matcher m = Pattern.compile("token/([0-9a-f]{16}) created \\(agent of prod, expires [^)]+\\)\\n"
        + "Keep it now; it is not shown again:\\n  (tether_[A-Za-z0-9_-]{43})\\n").matcher(created.out());
    assertThat(m.matches()).as(created.out()).isTrue();
    String id = m.group(1);
    String token = m.group(2);
    registry.testRegistry().client(token).get("/v1/namespaces/prod").expect(200);

    CliRun list = run("list");
    assertThat(list.out()).containsPattern(id + "\\s+prod-hosts\\s+agent\\s+prod\\s+active\\s+\\S+\\s+\\S+").doesNotContain(token);
    JsonNode one = Json.read(run("get", id, "-o", "json").out().getBytes(), JsonNode.class);
    assertThat(one.path("expiresAt").asText()).isNotEmpty();
    assertThat(one.has("token")).isFalse();
    assertThat(run("get", id, "-o", "yaml").out()).contains("name: prod-hosts").doesNotContain(token);

    CliRun revoked = run("revoke", id);
    assertThat(revoked.out()).isEqualTo("token/" + id + " revoked\n");
    assertThat(registry.testRegistry().client(token).get("/v1/namespaces/prod").status()).isEqualTo(401);
    CliRun again = run("revoke", id);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: ").contains("token '" + id + "' does not exist");
  }

  @Test
  void badOptionsAreOneErrorLineAndWriteNothing() {
    var before = registry.testRegistry().etcdContents();
    CliRun ttl = run("create", "--role", "reader", "--ttl", "soon");
    assertThat(ttl.exit()).isEqualTo(2);
    assertThat(ttl.err()).contains("--ttl must be a positive number of seconds");
    CliRun noNamespace = run("create", "--role", "agent");
    assertThat(noNamespace.exit()).isEqualTo(1);
    assertThat(noNamespace.err().strip()).startsWith("error: ").contains("agent tokens need the namespace");
    CliRun admin = run("create", "--role", "admin");
    assertThat(admin.err()).contains("managed tokens are agent or reader tokens");
    assertThat(registry.testRegistry().etcdContents()).isEqualTo(before);
  }

  private static CliRun run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--server", registry.testRegistry().baseUrl(), "--token", TestRegistry.ADMIN}, 0,
        all, args.length, 4);
    return CliRun.of(new TokenCommands(), all);
  }
}
