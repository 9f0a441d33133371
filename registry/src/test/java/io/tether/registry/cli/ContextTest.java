package io.tether.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.client.cli.CliEnvironment;
import io.tether.client.cli.Documents;
import io.tether.model.json.Json;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contexts and the precedence flag > environment > context > default, against a real registry; the
 * config file is a temporary TETHER_CONFIG, never the real home.
 */
class ContextTest {
  private static TestRegistry registry;
  private final Path dir = TestEtcd.tempDir("contexts");
  private final Map<String, String> env = new HashMap<>(Map.of("TETHER_CONFIG", dir.resolve("config.yaml").toString()));

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    registry.admin().put("/v1/namespaces/ctx-prod", "{}").expect(201);
    registry.admin().put("/v1/namespaces/ctx-prod/services/web", "{\"portName\":\"http\"}").expect(201);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @AfterEach
  void processEnvironmentAgain() {
    CliEnvironment.replaceForTests(null);
  }

  private CliRun run(Object command, String... args) {
    CliEnvironment.replaceForTests(env);
    return CliRun.of(command, args);
  }

  private Path tokenFile() throws Exception {
    return Files.writeString(dir.resolve("admin.token"), TestRegistry.ADMIN + "\n");
  }

  @Test
  void aContextGivesServerTokenAndNamespaceToEveryCommand() throws Exception {
    CliRun set = run(new ContextCommands(), "set", "prod", "--server", registry.baseUrl().replace("http://", ""),
        "--token-file", tokenFile().toString(), "-n", "ctx-prod");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("context/prod set (current)");
    assertThat(Files.readString(dir.resolve("config.yaml"))).contains("current: prod").doesNotContain(TestRegistry.ADMIN);

    CliRun services = run(new ServiceCommands(), "list");
    assertThat(services.exit()).as(services.err()).isZero();
    assertThat(services.out()).containsPattern("web\\s+tcp");
    assertThat(run(new EndpointCommands(), "list", "web").exit()).isZero();
    assertThat(run(new ContextCommands(), "show").out()).contains("name:      prod (current)")
        .contains("server:    " + registry.baseUrl()).contains("from " + tokenFile()).contains("namespace: ctx-prod");
  }

  @Test
  void aContextsServerCaIsKeptAbsoluteShownAndTrustedByEveryCommand() throws Exception {
    Path notACa = Files.writeString(dir.resolve("not-a-ca.pem"), "hello\n");
    CliRun set = run(new ContextCommands(), "set", "tls", "--server", "https://127.0.0.1:1", "--server-ca",
        notACa.toString(), "--token-file", tokenFile().toString());
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(Files.readString(dir.resolve("config.yaml"))).contains("serverCa: " + notACa.toAbsolutePath());
    assertThat(run(new ContextCommands(), "show").out()).contains("server CA: " + notACa.toAbsolutePath());
    CliRun list = run(new NamespaceCommands(), "list");
    assertThat(list.exit()).isNotZero();
    assertThat(list.err().strip()).isEqualTo("error: context 'tls' serverCa " + notACa.toAbsolutePath()
        + " is not a PEM certificate: No certificate data found");
  }

  @Test
  void contextListPrintsATableOrTheDocumentAsJsonOrYamlNeverAToken() throws Exception {
    run(new ContextCommands(), "set", "prod", "--server", "tether.internal:8700", "--token-file", tokenFile().toString(),
        "-n", "prod");
    run(new ContextCommands(), "set", "lab", "--server", "https://lab.internal:8700", "--token", "lab-secret-0123456789");

    CliRun table = run(new ContextCommands(), "list");
    assertThat(table.out()).containsPattern("CURRENT\\s+NAME\\s+SERVER\\s+NAMESPACE")
        .containsPattern("\\*\\s+prod\\s+http://tether.internal:8700\\s+prod");
    CliRun json = run(new ContextCommands(), "list", "-o", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(json.out());
    assertThat(doc.path("current").asText()).isEqualTo("prod");
    assertThat(doc.at("/items/0/name").asText()).isEqualTo("lab");
    assertThat(doc.at("/items/0/current").asBoolean(true)).isFalse();
    assertThat(doc.at("/items/0/token").asText()).isEqualTo("(set, hidden)");
    assertThat(doc.at("/items/1/server").asText()).isEqualTo("http://tether.internal:8700");
    assertThat(doc.at("/items/1/tokenFile").asText()).isEqualTo(tokenFile().toString());
    assertThat(doc.at("/items/1/namespace").asText()).isEqualTo("prod");
    CliRun yaml = run(new ContextCommands(), "list", "--output", "yaml");
    assertThat(Documents.parse("yaml", yaml.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .as("the same document, as YAML").isEqualTo(doc);
    assertThat(yaml.out()).startsWith("current: prod\n");
    assertThat(json.out() + yaml.out() + table.out()).doesNotContain("lab-secret-0123456789");
    CliRun bad = run(new ContextCommands(), "list", "-o", "xml");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("xml").contains("table, json, yaml");
  }

  @Test
  void flagBeatsEnvironmentWhichBeatsTheContext() throws Exception {
    run(new ContextCommands(), "set", "here", "--server", registry.baseUrl(), "--token-file", tokenFile().toString());
    assertThat(run(new NamespaceCommands(), "list").exit()).as("the context's server").isZero();
    env.put("TETHER_SERVER", "127.0.0.1:1");
    CliRun viaEnv = run(new NamespaceCommands(), "list");
    assertThat(viaEnv.err()).as("TETHER_SERVER beats the context").contains("cannot reach the Tether API at http://127.0.0.1:1");
    CliRun viaFlag = run(new NamespaceCommands(), "list", "--server", registry.baseUrl());
    assertThat(viaFlag.exit()).as("--server beats TETHER_SERVER: " + viaFlag.err()).isZero();
    env.put("TETHER_TOKEN", "not-the-token-0123456789");
    assertThat(run(new NamespaceCommands(), "list", "--server", registry.baseUrl()).err()).as("TETHER_TOKEN beats the context")
        .startsWith("error: UNAUTHENTICATED: ").contains(": the token from $TETHER_TOKEN was refused; give another "
            + "with --token-file FILE, $TETHER_TOKEN or a context (tether context set NAME --token-file FILE)\n");
    assertThat(run(new NamespaceCommands(), "list", "--server", registry.baseUrl(), "--token-file",
        tokenFile().toString()).exit()).as("--token-file beats TETHER_TOKEN").isZero();
    env.remove("TETHER_TOKEN");
    env.put("TETHER_TOKEN_FILE", dir.resolve("missing.token").toString());
    assertThat(run(new NamespaceCommands(), "list", "--server", registry.baseUrl()).err())
        .isEqualTo("error: TETHER_TOKEN_FILE: no such file: " + dir.resolve("missing.token") + "\n");
  }

  @Test
  void aRefusedTokenIsNamedByWhereItCameFrom() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-token-0123456789\n");
    run(new ContextCommands(), "set", "local", "--server", registry.baseUrl(), "--token-file", wrong.toString());
    assertThat(run(new NamespaceCommands(), "list").err()).as("the context's token file")
        .contains("the token from context 'local' (tokenFile " + wrong + ") was refused; give another");
    assertThat(run(new NamespaceCommands(), "list", "--token-file", wrong.toString()).err())
        .contains("the token from --token-file " + wrong + " was refused");
    assertThat(run(new NamespaceCommands(), "list", "--token", "not-the-token-0123456789").err())
        .contains("the token given with --token was refused");
    env.put("TETHER_TOKEN_FILE", wrong.toString());
    assertThat(run(new NamespaceCommands(), "list").err())
        .contains("the token from $TETHER_TOKEN_FILE (" + wrong + ") was refused");
  }

  @Test
  void deletingTheCurrentContextMakesTheOneLeftCurrentOrSaysNoneIs() throws Exception {
    run(new ContextCommands(), "set", "a", "--server", "a.internal:8700");
    run(new ContextCommands(), "set", "b", "--server", "b.internal:8700");
    run(new ContextCommands(), "set", "c", "--server", "c.internal:8700");
    CliRun many = run(new ContextCommands(), "delete", "a");
    assertThat(many.exit()).isZero();
    assertThat(many.out()).isEqualTo("context/a deleted; no context is current now: pick one with "
        + "`tether context use NAME`\n");
    CliRun show = run(new ContextCommands(), "show");
    assertThat(show.exit()).as("not a usage error").isEqualTo(1);
    assertThat(show.err()).startsWith("error: no current context in " + dir.resolve("config.yaml")
        + ": pick one with `tether context use NAME`").hasLineCount(1);
    assertThat(run(new ContextCommands(), "delete", "c").out()).as("not the current one").isEqualTo("context/c deleted\n");
    run(new ContextCommands(), "set", "d", "--server", "d.internal:8700");
    run(new ContextCommands(), "use", "d");
    CliRun one = run(new ContextCommands(), "delete", "d");
    assertThat(one.out()).isEqualTo("context/d deleted; context/b is current\n");
    assertThat(run(new ContextCommands(), "show").out()).contains("name:      b (current)");
    assertThat(run(new ContextCommands(), "delete", "b").out()).isEqualTo("context/b deleted; no context is left\n");
  }

  @Test
  void listUseShowAndDeleteEditOnlyTheFile() throws Exception {
    run(new ContextCommands(), "set", "a", "--server", "a.internal:8700");
    run(new ContextCommands(), "set", "b", "--server", "https://b.internal:8700", "-n", "prod");
    assertThat(run(new ContextCommands(), "list").out()).containsPattern("\\*\\s+a\\s+http://a.internal:8700")
        .containsPattern("\\s+b\\s+https://b.internal:8700\\s+prod");
    assertThat(run(new ContextCommands(), "use", "b").exit()).isZero();
    assertThat(run(new ContextCommands(), "show").out()).contains("name:      b (current)");
    CliRun unknown = run(new ContextCommands(), "use", "c");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("error: no context 'c' in ");
    assertThat(run(new ContextCommands(), "delete", "b").out()).isEqualTo("context/b deleted; context/a is current\n");
    assertThat(run(new ContextCommands(), "list").out()).doesNotContain("b.internal").containsPattern("\\*\\s+a\\s+");
    CliRun badServer = run(new ContextCommands(), "set", "x", "--server", "b.internal");
    assertThat(badServer.exit()).isEqualTo(2);
    assertThat(badServer.err()).contains("--server 'b.internal' must be HOST:PORT");
  }

  @Test
  void aBrokenConfigFileIsNamedWithTheFieldsItTakes() throws Exception {
    Files.writeString(dir.resolve("config.yaml"), "current: a\ncontexts:\n  a:\n    sever: x:1\n");
    CliRun list = run(new NamespaceCommands(), "list");
    assertThat(list.exit()).isEqualTo(2);
    assertThat(list.err()).startsWith("error: config file " + dir.resolve("config.yaml"))
        .contains("(fields of a context: server, token, tokenFile, namespace, serverCa)");
  }
}
