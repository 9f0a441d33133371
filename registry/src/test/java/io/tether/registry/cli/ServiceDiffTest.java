package io.tether.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tether svc diff}: what an apply would change, against a real registry, and its exit codes. */
class ServiceDiffTest {
  private static TestRegistry registry;
  private static final String STORED = "{\"discoveryName\":\"pay\",\"portName\":\"http\",\"appProtocol\":\"http\","
      + "\"clientAliases\":[{\"dnsName\":\"pay\",\"port\":8080}],\"timeout\":{\"perRequestTimeoutSeconds\":5},"
      + "\"loadBalancing\":\"ROUND_ROBIN\"}";

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    registry.admin().put("/v1/namespaces/diff", "{}").expect(201);
    registry.admin().put("/v1/namespaces/diff/services/pay", STORED).expect(201);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private CliRun diff(String spec, String... more) throws Exception {
    Path file = Files.writeString(Files.createTempFile("pay", spec.startsWith("{") ? ".json" : ".yaml"), spec);
    String[] args = new String[more.length + 9];
    String[] base = {"diff", "-n", "diff", "-f", file.toString(), "--server", registry.baseUrl(), "--token",
        TestRegistry.ADMIN};
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliRun.of(new ServiceCommands(), args);
  }

  @Test
  void theSameSpecInYamlHasNoChanges() throws Exception {
    CliRun same = diff("discoveryName: pay\nportName: http\nappProtocol: http\nclientAliases:\n"
        + "  - {dnsName: pay, port: 8080}\ntimeout: {perRequestTimeoutSeconds: 5}\nloadBalancing: ROUND_ROBIN\n",
        "--exit-code");
    assertThat(same.exit()).as(same.err()).isZero();
    assertThat(same.out()).isEqualTo("no changes\n");
  }

  @Test
  void addedRemovedAndChangedFieldsAreListedByPath() throws Exception {
    CliRun d = diff("{\"discoveryName\":\"pay\",\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"pay\",\"port\":9090}],\"timeout\":{\"perRequestTimeoutSeconds\":5},"
        + "\"retryPolicy\":{\"numRetries\":3}}");
    assertThat(d.exit()).as("without --exit-code").isZero();
    assertThat(d.out()).isEqualTo("~ clientAliases[0].port: 8080 -> 9090\n- loadBalancing: \"ROUND_ROBIN\"\n"
        + "+ retryPolicy: {\"numRetries\":3}\n");
    assertThat(registry.admin().get("/v1/namespaces/diff/services/pay").body()
        .at("/clientAliases/0/port").asInt()).as("nothing applied").isEqualTo(8080);
  }

  @Test
  void exitCodeThreeWhenThereAreDifferences() throws Exception {
    CliRun d = diff(STORED.replace("ROUND_ROBIN", "RANDOM"), "--exit-code");
    assertThat(d.exit()).isEqualTo(3);
    assertThat(d.out()).isEqualTo("~ loadBalancing: \"ROUND_ROBIN\" -> \"RANDOM\"\n");
  }

  @Test
  void aNewServiceIsAllAdditions() throws Exception {
    CliRun d = diff("{\"discoveryName\":\"fresh\",\"portName\":\"grpc\"}", "--exit-code");
    assertThat(d.exit()).isEqualTo(3);
    assertThat(d.out()).isEqualTo("service/diff/fresh does not exist: apply would create it\n"
        + "+ clientAliases: []\n+ discoveryName: \"fresh\"\n+ portName: \"grpc\"\n");
  }

  @Test
  void aSpecTheApiWouldRefuseIsRefusedHere() throws Exception {
    CliRun d = diff("{\"discoveryName\":\"pay\",\"portName\":\"http\",\"loadBalancng\":\"RANDOM\"}");
    assertThat(d.exit()).isEqualTo(1);
    assertThat(d.err()).contains("unknown field 'loadBalancng': did you mean 'loadBalancing'?");
  }
}
