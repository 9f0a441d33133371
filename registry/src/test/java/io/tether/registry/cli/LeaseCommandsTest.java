package io.tether.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.RegistryPerClass;
import io.tether.registry.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code GET /v1/leases} and {@code tether lease list|revoke}, against a real registry and etcd. */
class LeaseCommandsTest {
  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  @BeforeAll
  static void namespaces() {
    for (String ns : new String[] {"a", "b"}) {
      registry.api().put("/v1/namespaces/" + ns, "{}");
      registry.api().put("/v1/namespaces/" + ns + "/services/web", "{\"portName\":\"http\"}");
    }
  }

  @Test
  void leasesAreListedWithTheirTimeLeftAndEndpointsAndOnlyWhereTheCallerMayRead() {
    ApiClient admin = registry.api();
    String leaseA = grant(TestRegistry.AGENT_A, "a", 60);
    String leaseB = grant(TestRegistry.AGENT_B, "b", 30);
    register(TestRegistry.AGENT_A, "a", "t1", leaseA);
    register(TestRegistry.AGENT_A, "a", "t2", leaseA);

    JsonNode a = item(admin.get("/v1/leases").expect(200).body(), leaseA);
    assertThat(a.path("namespace").asText()).isEqualTo("a");
    assertThat(a.path("ttlSeconds").asLong()).isEqualTo(60);
    assertThat(a.path("remainingSeconds").asLong()).isBetween(1L, 60L);
    assertThat(a.path("endpoints").toString()).isEqualTo("[{\"service\":\"web\",\"id\":\"t1\"},{\"service\":\"web\",\"id\":\"t2\"}]");
    assertThat(item(admin.get("/v1/leases").body(), leaseB).path("endpoints")).isEmpty();

    JsonNode seenByA = admin.as(TestRegistry.AGENT_A).get("/v1/leases").expect(200).body();
    assertThat(item(seenByA, leaseA)).isNotNull();
    assertThat(item(seenByA, leaseB)).as("agent a does not see b's lease").isNull();
    assertThat(item(admin.get("/v1/leases?namespace=b").expect(200).body(), leaseA)).isNull();
    assertThat(admin.as(TestRegistry.AGENT_A).get("/v1/leases?namespace=b").expect(403).errorCode()).isEqualTo("PERMISSION_DENIED");
    assertThat(admin.get("/v1/leases?namespace=B_").expect(400).errorField()).isEqualTo("namespace");

    Run list = run("list", "-n", "a");
    assertThat(list.out()).containsPattern(leaseA + "\\s+a\\s+60s\\s+\\d+s\\s+web/t1,web/t2");
    Run revoke = run("revoke", leaseA);
    assertThat(revoke.exit()).as(revoke.err()).isZero();
    assertThat(item(admin.get("/v1/leases").body(), leaseA)).as("revoked").isNull();
    admin.get("/v1/namespaces/a/services/web/endpoints/t1").expect(404);
    Run bad = run("revoke", "not-a-number");
    assertThat(bad.exit()).as("a lease id that is no number is a usage error").isEqualTo(2);
  }

  private static String grant(String token, String ns, int ttl) {
    return registry.api().as(token).post("/v1/leases", "{\"ttlSeconds\":" + ttl + ",\"namespace\":\"" + ns + "\"}")
        .expect(201).body().path("leaseId").asText();
  }

  private static void register(String token, String ns, String id, String lease) {
    registry.api().as(token).put("/v1/namespaces/" + ns + "/services/web/endpoints/" + id,
        "{\"address\":\"10.0.0.1\",\"port\":80,\"leaseId\":\"" + lease + "\"}").expect(201);
  }

  private static JsonNode item(JsonNode body, String leaseId) {
    for (JsonNode i : body.path("items")) {
      if (i.path("leaseId").asText().equals(leaseId)) {
        return i;
      }
    }
    return null;
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--server", registry.testRegistry().baseUrl(), "--token", TestRegistry.ADMIN}, 0, all, args.length, 4);
    int exit = new CommandLine(new LeaseCommands()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    return new Run(exit, out.toString(), err.toString());
  }
}
