package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.tether.registry.cli.StatusCommand;
import io.tether.registry.testing.Poll;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code GET /v1/status} and {@code tether status}: two replicas on one real etcd, a client on each. */
class StatusTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final TwoReplicas replicas = new TwoReplicas();

  @BeforeAll
  static void service() {
    replicas.mesh().service("a", "st-web", 8080, "");
    replicas.mesh().awaitView();
  }

  @Test
  void statusShowsVersionReplicasEtcdMembersProxiesByStateAndTheView() {
    try (AdsProbe synced = probe(replicas.mesh().xdsPort()); AdsProbe nacking = probe(replicas.second().xds().port())) {
      for (String type : AdsProbe.TYPES) {
        synced.subscribe(type, List.of());
        synced.ack(synced.next(type, WAIT), List.of());
        nacking.subscribe(type, List.of());
        DiscoveryResponse r = nacking.next(type, WAIT);
        if (type.equals(AdsProbe.CDS)) {
          nacking.nack(r, List.of(), "rejected on purpose");
        } else {
          nacking.ack(r, List.of());
        }
      }
      Poll.until(WAIT, () -> status().path("proxies").path("byState").path("NACKED").asInt() == 1
          && status().path("proxies").path("byState").path("SYNCED").asInt() == 1, () -> "counts: " + status());
      JsonNode s = status();
      assertThat(s.path("version").asText()).isEqualTo(io.tether.main.TetherVersion.VERSION);
      assertThat(s.path("replica").asText()).isEqualTo("replica-1");
      assertThat(s.path("replicas").findValuesAsText("id")).containsExactlyInAnyOrder("replica-1", "replica-2");
      assertThat(s.path("proxies").path("total").asInt()).isEqualTo(2);
      assertThat(s.path("proxies").path("byReplica").path("replica-2").asInt()).isEqualTo(1);

      JsonNode etcd = s.path("etcd");
      assertThat(etcd.path("healthy").asBoolean()).as("%s", etcd).isTrue();
      assertThat(etcd.path("members")).hasSize(1);
      JsonNode member = etcd.path("members").get(0);
      assertThat(member.path("leader").asBoolean()).isTrue();
      assertThat(member.path("version").asText()).matches("3\\.\\d+\\.\\d+");
      assertThat(member.path("clientUrls").get(0).asText()).isEqualTo(replicas.mesh().etcdUrl);
      assertThat(member.path("dbSizeBytes").asLong()).isPositive();

      assertThat(s.path("view").path("ready").asBoolean()).isTrue();
      assertThat(s.path("view").path("revision").asLong()).isEqualTo(replicas.mesh().server.registry().view().current().revision());

      String out = cli();
      assertThat(out).contains("server   tether " + io.tether.main.TetherVersion.VERSION + ", replica replica-1")
          .containsPattern("replica-2\\s+http://127\\.0\\.0\\.1:" + replicas.second().registry().apiPort())
          .containsPattern("healthy\\s+leader\\s+3\\.")
          .contains("proxies  2: 1 SYNCED, 0 STALE, 1 NACKED");
    }
  }

  @Test
  void agentTokensMayNotReadTheClusterStatus() {
    assertThat(replicas.mesh().api.as(Mesh.AGENT_A).get("/v1/status").expect(403).errorCode()).isEqualTo("PERMISSION_DENIED");
  }

  private static JsonNode status() {
    return replicas.mesh().api.get("/v1/status").expect(200).body();
  }

  private static AdsProbe probe(int port) {
    return new AdsProbe(port, Mesh.AGENT_A, XdsMessages.node("st-" + UUID.randomUUID(), AdsProbe.ENVOY,
        XdsMessages.metadata("a")));
  }

  private static String cli() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new StatusCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("--server", replicas.mesh().apiUrl(), "--token", Mesh.ADMIN);
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }
}
