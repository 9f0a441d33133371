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

  /** Runs one command as the admin; returns exit code, stdout and stderr. */
  private record Run(int exit, String out, String err) {}

  private Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--server";
    all[args.length + 1] = registry.baseUrl();
    all[args.length + 2] = "--token";
    all[args.length + 3] = TestRegistry.ADMIN;
    int exit = cli.execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void createNamespaceApplyServiceAndListEndpointsAsTables() throws Exception {
    assertThat(run(new NamespaceCommands(), "create", "cli-prod", "--description", "production").exit()).isZero();
    Run list = run(new NamespaceCommands(), "list");
    assertThat(list.out()).contains("NAME").containsPattern("cli-prod\\s+0\\s+production");

    Path spec = Files.createTempFile("payments", ".json");
    Files.writeString(spec, "{\"discoveryName\":\"payments\",\"portName\":\"http\",\"appProtocol\":\"grpc\","
        + "\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080}]}");
    Run apply = run(new ServiceCommands(), "apply", "-n", "cli-prod", "-f", spec.toString());
    assertThat(apply.exit()).as(apply.err()).isZero();
    Run services = run(new ServiceCommands(), "list", "-n", "cli-prod");
    assertThat(services.out()).containsPattern("payments\\s+grpc\\s+payments:8080\\s+127\\.255\\.\\d+\\.\\d+\\s+0/0 healthy");

    registry.admin().put("/v1/namespaces/cli-prod/services/payments/endpoints/task-1",
        "{\"address\":\"10.0.3.7\",\"port\":15000,\"zone\":\"onprem-a\"}");
    Run endpoints = run(new EndpointCommands(), "list", "cli-prod", "payments");
    assertThat(endpoints.out()).containsPattern("task-1\\s+10\\.0\\.3\\.7\\s+15000\\s+onprem-a\\s+HEALTHY");
    Run json = run(new EndpointCommands(), "list", "cli-prod", "payments", "-o", "json");
    assertThat(json.out()).contains("\"address\" : \"10.0.3.7\"");
  }

  @Test
  void apiErrorsAreReportedWithCodeAndFieldAndExitNonZero() throws Exception {
    run(new NamespaceCommands(), "create", "cli-bad");
    Path spec = Files.createTempFile("bad", ".json");
    Files.writeString(spec, "{\"discoveryName\":\"web\",\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"web\",\"port\":0}]}");
    Run apply = run(new ServiceCommands(), "apply", "-n", "cli-bad", "-f", spec.toString());
    assertThat(apply.exit()).isEqualTo(1);
    assertThat(apply.err()).contains("INVALID_ARGUMENT").contains("field: clientAliases[0].port");
    assertThat(registry.admin().get("/v1/namespaces/cli-bad/services/web").status()).isEqualTo(404);
  }

  @Test
  void createOnAnExistingNamespaceChangesOnlyItsDescription() {
    registry.admin().put("/v1/namespaces/cli-keep",
        "{\"description\":\"old\",\"defaults\":{\"timeout\":{\"perRequestTimeoutSeconds\":3}}}").expect(201);
    Run create = run(new NamespaceCommands(), "create", "cli-keep", "--description", "new");
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
    Run create = run(new NamespaceCommands(), "create", "cli-both", "--description", "d", "-f", file.toString());
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
}
