package io.tether.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorCliTest {
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  /** Runs one command as the admin. */
  private CliRun run(Object command, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = registry.baseUrl();
    all[args.length + 2] = "--token";
    all[args.length + 3] = TestRegistry.ADMIN;
    return CliRun.of(command, all);
  }

  @Test
  void createNamespaceApplyServiceAndListEndpointsAsTables() throws Exception {
    assertThat(run(new NamespaceCommands(), "create", "cli-prod", "--description", "production").exit()).isZero();
    CliRun list = run(new NamespaceCommands(), "list");
    assertThat(list.out()).contains("NAME").containsPattern("cli-prod\\s+0\\s+production");

    Path spec = Files.createTempFile("payments", ".json");
    Files.writeString(spec, "{\"discoveryName\":\"payments\",\"portName\":\"http\",\"appProtocol\":\"grpc\","
        + "\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080}]}");
    CliRun apply = run(new ServiceCommands(), "apply", "-n", "cli-prod", "-f", spec.toString());
    assertThat(apply.exit()).as(apply.err()).isZero();
    CliRun services = run(new ServiceCommands(), "list", "-n", "cli-prod");
    assertThat(services.out()).containsPattern("payments\\s+grpc\\s+payments:8080\\s+127\\.255\\.\\d+\\.\\d+\\s+0/0 healthy");

    registry.admin().put("/v1/namespaces/cli-prod/services/payments/endpoints/task-1",
        "{\"address\":\"10.0.3.7\",\"port\":15000,\"zone\":\"onprem-a\"}");
    CliRun endpoints = run(new EndpointCommands(), "list", "-n", "cli-prod", "payments");
    assertThat(endpoints.out()).containsPattern("task-1\\s+10\\.0\\.3\\.7\\s+15000\\s+onprem-a\\s+HEALTHY");
    CliRun json = run(new EndpointCommands(), "list", "-n", "cli-prod", "payments", "-o", "json");
    assertThat(json.out()).contains("\"address\" : \"10.0.3.7\"");
  }

  @Test
  void apiErrorsAreReportedWithCodeAndFieldAndExitNonZero() throws Exception {
    run(new NamespaceCommands(), "create", "cli-bad");
    Path spec = Files.createTempFile("bad", ".json");
    Files.writeString(spec, "{\"discoveryName\":\"web\",\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"web\",\"port\":0}]}");
    CliRun apply = run(new ServiceCommands(), "apply", "-n", "cli-bad", "-f", spec.toString());
    assertThat(apply.exit()).isEqualTo(1);
    assertThat(apply.err()).as("the file named, as svc diff does").startsWith("error: " + spec + ": ")
        .contains("clientAliases[0].port").hasLineCount(1);
    assertThat(registry.admin().get("/v1/namespaces/cli-bad/services/web").status()).isEqualTo(404);
  }

  @Test
  void createOnAnExistingNamespaceChangesOnlyItsDescription() {
    registry.admin().put("/v1/namespaces/cli-keep",
        "{\"description\":\"old\",\"defaults\":{\"timeout\":{\"perRequestTimeoutSeconds\":3}}}").expect(201);
    CliRun create = run(new NamespaceCommands(), "create", "cli-keep", "--description", "new");
    assertThat(create.exit()).as(create.err()).isZero();
    assertThat(create.out()).contains("namespace/cli-keep updated");
    var ns = registry.admin().get("/v1/namespaces/cli-keep").body();
    assertThat(ns.path("description").asText()).isEqualTo("new");
    assertThat(ns.at("/defaults/timeout/perRequestTimeoutSeconds").asInt()).as("defaults kept").isEqualTo(3);
  }

  @Test
  void descriptionAndFileTogetherAreRefused() throws Exception {
    Path file = Files.createTempFile("ns", ".json");
    Files.writeString(file, "{\"description\":\"from file\"}");
    CliRun create = run(new NamespaceCommands(), "create", "cli-both", "--description", "d", "-f", file.toString());
    assertThat(create.exit()).isEqualTo(1);
    assertThat(create.err()).contains("--description and -f cannot be used together");
    assertThat(registry.admin().get("/v1/namespaces/cli-both").status()).isEqualTo(404);
  }

  @Test
  void unreachableServerIsAClearError() {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new NamespaceCommands()).setErr(new PrintWriter(err))
        .execute("list", "--server", "http://127.0.0.1:1", "--token", "x");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("cannot reach the Tether API at http://127.0.0.1:1");
  }

  @Test
  void nsGetEffectiveFillsInTheTracingsSamplingPercent() throws Exception {
    Path ns = Files.writeString(Files.createTempFile("traced", ".json"), "{\"tracing\":{\"collector\":\"otel:4317\"}}");
    CliRun create = run(new NamespaceCommands(), "create", "cli-traced", "-f", ns.toString());
    assertThat(create.exit()).as(create.err()).isZero();
    assertThat(run(new NamespaceCommands(), "get", "cli-traced").out()).contains("otel:4317")
        .doesNotContain("samplingPercent");
    assertThat(run(new NamespaceCommands(), "get", "cli-traced", "--effective").out())
        .containsPattern("\"samplingPercent\"\\s*:\\s*1\\.0");
  }

  @Test
  void yamlFilesAreAppliedAndEveryReadPrintsYaml() throws Exception {
    run(new NamespaceCommands(), "create", "cli-yaml");
    Path spec = Files.writeString(Files.createTempFile("web", ".yaml"), "discoveryName: web\nportName: http\n"
        + "appProtocol: http\nclientAliases:\n  - dnsName: web\n    port: 8080\ntimeout:\n  perRequestTimeoutSeconds: 5\n");
    CliRun apply = run(new ServiceCommands(), "apply", "-n", "cli-yaml", "-f", spec.toString());
    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(registry.admin().get("/v1/namespaces/cli-yaml/services/web").body()
        .at("/timeout/perRequestTimeoutSeconds").asInt()).isEqualTo(5);
    Path noExtension = Files.writeString(Files.createTempFile("ns", ""), "description: from yaml\n");
    assertThat(run(new NamespaceCommands(), "create", "cli-yaml", "-f", noExtension.toString()).exit()).isZero();

    assertThat(run(new ServiceCommands(), "get", "-n", "cli-yaml", "web", "-o", "yaml").out())
        .contains("discoveryName: web").contains("perRequestTimeoutSeconds: 5").doesNotContain("{");
    assertThat(run(new ServiceCommands(), "list", "-n", "cli-yaml", "-o", "yaml").out()).contains("- discoveryName: web");
    assertThat(run(new NamespaceCommands(), "list", "-o", "yaml").out()).contains("name: cli-yaml");
    assertThat(run(new NamespaceCommands(), "get", "cli-yaml", "-o", "yaml").out()).contains("description: from yaml");
    assertThat(run(new EndpointCommands(), "list", "-n", "cli-yaml", "web", "-o", "yaml").out()).contains("items:");
  }

  @Test
  void anUnknownFieldIsRefusedWithWhatWasMeant() throws Exception {
    run(new NamespaceCommands(), "create", "cli-typo");
    Path spec = Files.writeString(Files.createTempFile("typo", ".json"),
        "{\"discoveryName\":\"web\",\"portName\":\"http\",\"timout\":{}}");
    CliRun apply = run(new ServiceCommands(), "apply", "-n", "cli-typo", "-f", spec.toString());
    assertThat(apply.exit()).isEqualTo(1);
    assertThat(apply.err()).isEqualTo("error: " + spec + ": unknown field 'timout': did you mean 'timeout'?\n");
  }

  @Test
  void aBugInACommandIsAnInternalErrorNeverABareJavaMessage() {
    CliRun buggy = run(new OperatorCommand() {
      @Override
      void run(io.tether.client.TetherClient client) {
        String s = null;
        s.length();
      }
    });
    assertThat(buggy.exit()).isEqualTo(1);
    assertThat(buggy.err()).startsWith("error: internal error: NullPointerException: ")
        .endsWith(" (TETHER_DEBUG=1 for the stack trace)\n").hasLineCount(1);
  }

  @Test
  void aMissingFileIsNamedInOneLine() {
    CliRun apply = run(new ServiceCommands(), "apply", "-n", "cli-prod", "-f", "/nonexistent/payments.json");
    assertThat(apply.exit()).isEqualTo(2);
    assertThat(apply.err()).isEqualTo("error: no such file: /nonexistent/payments.json\n");
  }

  @Test
  void serverTakesHostPortWithoutSchemeAndRefusesOtherForms() throws Exception {
    Path token = Files.writeString(Files.createTempFile("admin", ".token"), TestRegistry.ADMIN + "\n");
    String hostPort = registry.baseUrl().replace("http://", "");
    CliRun list = CliRun.of(new NamespaceCommands(), "list", "--server", hostPort, "--token-file", token.toString());
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).startsWith("NAME");
    for (String bad : new String[] {"ftp://" + hostPort, hostPort + "/v1", "localhost", "http://:8700"}) {
      CliRun refused = CliRun.of(new NamespaceCommands(), "list", "--server", bad, "--token", "x");
      assertThat(refused.exit()).as(bad).isEqualTo(2);
      assertThat(refused.err()).as(bad).isEqualTo("error: --server '" + bad + "' must be HOST:PORT or "
          + "http(s)://HOST:PORT (e.g. 127.0.0.1:8700, http://tether.internal:8700 or https://[fd00::5]:8700)\n");
    }
  }

  @Test
  void withoutANamespaceTheErrorSaysHowToGiveOne() {
    CliRun list = run(new ServiceCommands(), "list");
    assertThat(list.exit()).isEqualTo(2);
    assertThat(list.err()).isEqualTo("error: no namespace: pass -n NS, or set one for the context "
        + "(tether context set NAME -n NS)\n");
  }

  @Test
  void everyCommandAnswersHelpWithoutCallingTheServer() {
    for (Object command : new Object[] {new NamespaceCommands(), new ServiceCommands(), new EndpointCommands(),
        new ContextCommands()}) {
      CommandLine cli = new CommandLine(command);
      for (CommandLine sub : cli.getSubcommands().values()) {
        CliRun help = CliRun.of(command, sub.getCommandName(), "--help", "--server", "http://127.0.0.1:1");
        assertThat(help.exit()).as(sub.getCommandName()).isZero();
        assertThat(help.out()).as(sub.getCommandName()).startsWith("Usage: ");
        sub.getCommandSpec().options().forEach(o -> assertThat(o.description()).as(o.longestName()).isNotEmpty());
      }
    }
  }
}
