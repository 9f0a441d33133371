package io.tether.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tether authz apply|list|get|delete} against a real registry (docs/cli.md). */
class AuthzCommandsTest {
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    registry.admin().put("/v1/namespaces/cli-authz", "{}").expect(201);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private CliRun run(String... args) {
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"-n", "cli-authz", "--server", registry.baseUrl(), "--token", TestRegistry.ADMIN},
        0, all, args.length, 6);
    return CliRun.of(new AuthzCommands(), all);
  }

  @Test
  void aRuleFileIsAppliedListedShownAndDeleted() throws Exception {
    Path file = Files.createTempFile("rule", ".yaml");
    Files.writeString(file, "name: checkout-pays\nfrom: checkout\nto: payments\n"
        + "http:\n  - paths: [/pay, /refunds/*]\n    methods: [POST]\n");
    CliRun apply = run("apply", "-f", file.toString());
    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("authorization/cli-authz/checkout-pays applied");

    CliRun list = run("list");
    assertThat(list.out()).containsPattern("NAME\\s+FROM\\s+TO\\s+ACTION\\s+HTTP")
        .containsPattern("checkout-pays\\s+checkout\\s+payments\\s+ALLOW\\s+POST /pay,/refunds/\\*");
    assertThat(run("get", "checkout-pays", "-o", "yaml").out()).contains("from: checkout", "- /refunds/*");
    assertThat(run("list", "-o", "json").out()).contains("\"to\" : \"payments\"");

    CliRun delete = run("delete", "checkout-pays");
    assertThat(delete.exit()).isZero();
    assertThat(delete.out()).contains("authorization/cli-authz/checkout-pays deleted");
    CliRun gone = run("get", "checkout-pays");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).startsWith("error: ").contains("does not exist");
  }

  @Test
  void aBadRuleIsOneErrorLineNamingTheFile() throws Exception {
    Path file = Files.createTempFile("rule", ".json");
    Files.writeString(file, "{\"name\":\"bad\",\"from\":\"*\",\"to\":\"payments\",\"acton\":\"DENY\"}");
    CliRun apply = run("apply", "-f", file.toString());
    assertThat(apply.exit()).isNotZero();
    assertThat(apply.err().strip()).doesNotContain("\n").startsWith("error: " + file + ": unknown field 'acton'")
        .contains("did you mean 'action'");
    assertThat(registry.admin().get("/v1/namespaces/cli-authz/authorizations/bad").status()).isEqualTo(404);
  }
}
