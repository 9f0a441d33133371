package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.etcd.jetcd.options.PutOption;
import io.tether.main.TetherServer;
import io.tether.registry.cli.ProxyCommands;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code /v1/proxies} and {@code tether proxies} across replicas: two replicas on one etcd, an xDS
 * client on each, and either replica lists both with their sync state per type, forwards a proxy's
 * config to the replica that serves it, and names a peer that does not answer instead of failing.
 */
class MeshProxiesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Map<String, List<String>> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put(AdsProbe.LDS, List.of());
    NAMES.put(AdsProbe.RDS, List.of("mp-web:8080"));
    NAMES.put(AdsProbe.CDS, List.of());
    NAMES.put(AdsProbe.EDS, List.of("mp-web.a"));
  }

  @RegisterExtension
  static final TwoReplicas replicas = new TwoReplicas();
  private static Mesh mesh;
  private static TetherServer replica2;

  @BeforeAll
  static void start() {
    mesh = replicas.mesh();
    replica2 = replicas.second();
    mesh.service("a", "mp-web", 8080, "");
    mesh.register("a", "mp-web", mesh.backend("w1"), "HEALTHY");
    mesh.awaitView();
    Poll.until(WAIT, () -> mesh.api.get("/v1/proxies").body().path("replicas").size() == 2,
        "both replicas registered");
  }

  @Test
  void eitherReplicaListsTheProxiesOfBothWithTheirSyncStatePerType() {
    String one = "on-1-" + UUID.randomUUID();
    String two = "on-2-" + UUID.randomUUID();
    try (AdsProbe p1 = probe(mesh.xdsPort(), one); AdsProbe p2 = probe(replica2.xds().port(), two, "zone-b")) {
      Map<String, DiscoveryResponse> held = subscribeAndAckAll(p1);
      subscribeAndAckAll(p2);
      for (ApiClient api : List.of(mesh.api, replica2Api())) {
        Poll.until(WAIT, () -> allSynced(api, one) && allSynced(api, two), () -> "both SYNCED: " + api.get("/v1/proxies"));
        JsonNode body = api.get("/v1/proxies").expect(200).body();
        assertThat(replicaOf(body, one)).isEqualTo("replica-1");
        assertThat(replicaOf(body, two)).isEqualTo("replica-2");
        assertThat(body.path("unreachableReplicas")).isEmpty();
        assertThat(body.path("replicas").findValuesAsText("id")).containsExactlyInAnyOrder("replica-1", "replica-2");
      }
      assertThat(replicaOf(mesh.api.get("/v1/proxies?scope=local").expect(200).body(), two))
          .as("scope=local lists this replica's own only").isNull();
      System.out.printf("[MeshProxiesTest] GET /v1/proxies, 50 each: this replica only %d ms, both merged %d ms (median)%n",
          medianMs("/v1/proxies?scope=local"), medianMs("/v1/proxies"));

      // An endpoint change not ACKed yet is STALE; a NACK is NACKED with its text, on the other replica too.
      mesh.register("a", "mp-web", mesh.backend("w2"), "HEALTHY");
      DiscoveryResponse eds1 = p1.next(AdsProbe.EDS, WAIT);
      DiscoveryResponse eds2 = p2.next(AdsProbe.EDS, WAIT);
      p2.nack(eds2, NAMES.get(AdsProbe.EDS), "no thanks: bad assignment");
      Poll.until(WAIT, () -> "NACKED".equals(sync(mesh.api, two, "EDS")), () -> "NACKED: " + mesh.api.get("/v1/proxies"));
      JsonNode stream2 = streamOf(mesh.api.get("/v1/proxies").body(), two);
      assertThat(stream2.path("lastNacks").path("EDS").path("message").asText()).isEqualTo("no thanks: bad assignment");
      assertThat(sync(mesh.api, one, "EDS")).isEqualTo("STALE");
      assertThat(sync(mesh.api, one, "CDS")).isEqualTo("SYNCED");
      p1.ack(eds1, NAMES.get(AdsProbe.EDS));
      Poll.until(WAIT, () -> "SYNCED".equals(sync(replica2Api(), one, "EDS")), "ACKed: SYNCED again");
      assertThat(held).isNotEmpty();

      String table = cli(new ProxyCommands.List(), "-n", "a");
      assertThat(table).containsPattern("a\\s+" + one + "\\s+ENVOY\\s+-\\s+replica-1\\s+SYNCED\\s+SYNCED\\s+SYNCED\\s+SYNCED");
      assertThat(table).containsPattern("a\\s+" + two + "\\s+ENVOY\\s+zone-b\\s+replica-2\\s+SYNCED\\s+SYNCED\\s+NACKED"
          + "\\s+SYNCED");
      assertThat(table).contains("EDS version " + eds2.getVersionInfo() + ": no thanks: bad assignment");
    }
  }

  @Test
  void aProxysConfigIsForwardedToTheReplicaThatServesIt() {
    String two = "cfg-2-" + UUID.randomUUID();
    try (AdsProbe p2 = probe(replica2.xds().port(), two)) {
      subscribeAndAckAll(p2);
      Poll.until(WAIT, () -> allSynced(replica2Api(), two), "connected to replica 2");
      JsonNode config = mesh.api.get("/v1/proxies/a/" + two + "/config").expect(200).body();
      assertThat(config.path("replica").asText()).isEqualTo("replica-2");
      assertThat(config.path("resources").path("CLUSTER").has("mp-web.a")).as("%s", config).isTrue();
      assertThat(mesh.api.get("/v1/proxies/" + two + "/config").expect(200).body().path("replica").asText())
          .isEqualTo("replica-2");
      assertThat(mesh.api.get("/v1/proxies/a/" + two + "/config?scope=local").expect(404).errorCode()).isEqualTo("NOT_FOUND");
      assertThat(mesh.api.get("/v1/proxies/a/nobody-" + UUID.randomUUID() + "/config").expect(404).errorCode())
          .isEqualTo("NOT_FOUND");
      assertThat(mesh.api.as(Mesh.AGENT_B).get("/v1/proxies/a/" + two + "/config").expect(403).errorCode())
          .isEqualTo("PERMISSION_DENIED");

      String clusters = cli(new ProxyCommands.Proxy(), "config", two, "-n", "a", "--type", "clusters");
      assertThat(clusters).contains("on replica replica-2").containsPattern("CLUSTER\\s+mp-web\\.a\\s+\\S+")
          .doesNotContain("LISTENER");
      // Without -n: GET /v1/proxies/{nodeId}/config, which finds the node id in any namespace.
      assertThat(cli(new ProxyCommands.Proxy(), "config", two)).contains("a/" + two + " on replica replica-2")
          .containsPattern("CLUSTER\\s+mp-web\\.a\\s+\\S+");
    }
  }

  @Test
  void aPeerThatDoesNotAnswerIsListedAsUnreachableAndTheListingStillSucceeds() throws Exception {
    var etcd = mesh.server.registry().etcdClient();
    KeyLayout keys = new KeyLayout(mesh.prefix);
    try (ServerSocket silent = new ServerSocket(0)) {
      long lease = etcd.getLeaseClient().grant(60).get(5, TimeUnit.SECONDS).getID();
      String record = "{\"id\":\"silent\",\"apiUrl\":\"http://127.0.0.1:" + silent.getLocalPort()
          + "\",\"version\":\"0.1.0\",\"startedAt\":\"2026-01-01T00:00:00Z\"}";
      etcd.getKVClient().put(keys.replica("silent"), KeyLayout.bytes(record),
          PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS);
      try {
        // Replicas read the list at each keepalive: the record is known within one.
        Poll.until(WAIT, () -> mesh.api.get("/v1/proxies").body().path("replicas").findValuesAsText("id")
            .contains("silent"), "the silent replica's record is known");
        long started = System.nanoTime();
        JsonNode body = mesh.api.get("/v1/proxies").expect(200).body();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(body.path("unreachableReplicas").findValuesAsText("id")).containsExactly("silent");
        assertThat(tookMs).as("bounded by the peer timeout").isLessThan(5_000);
        assertThat(cli(new ProxyCommands.List())).contains("unreachable replica silent (http://127.0.0.1:"
            + silent.getLocalPort() + ")");
      } finally {
        etcd.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
      }
      Poll.until(WAIT, () -> mesh.api.get("/v1/proxies").body().path("unreachableReplicas").isEmpty(),
          "a replica whose record is gone is no longer asked");
    }
  }

  @Test
  void badScopeIsA400AndAgentsSeeOnlyTheirNamespaceAcrossReplicas() {
    assertThat(mesh.api.get("/v1/proxies?scope=everything").expect(400).errorField()).isEqualTo("scope");
    String two = "ag-2-" + UUID.randomUUID();
    try (AdsProbe p2 = probe(replica2.xds().port(), two)) {
      subscribeAndAckAll(p2);
      Poll.until(WAIT, () -> replicaOf(mesh.api.get("/v1/proxies").body(), two) != null, "listed");
      assertThat(replicaOf(mesh.api.as(Mesh.AGENT_A).get("/v1/proxies").expect(200).body(), two)).isEqualTo("replica-2");
      assertThat(replicaOf(mesh.api.as(Mesh.AGENT_B).get("/v1/proxies").expect(200).body(), two)).isNull();
    }
  }

  private static String cli(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--server", mesh.apiUrl(), "--token", Mesh.ADMIN}, 0, all, args.length, 4);
    int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    assertThat(exit).as("exit of %s: %s", List.of(all), err).isZero();
    return out.toString();
  }

  private static long medianMs(String path) {
    long[] ms = new long[50];
    for (int i = 0; i < ms.length; i++) {
      long start = System.nanoTime();
      mesh.api.get(path).expect(200);
      ms[i] = (System.nanoTime() - start) / 1_000_000;
    }
    java.util.Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static boolean allSynced(ApiClient api, String node) {
    JsonNode s = streamOf(api.get("/v1/proxies").body(), node);
    return s != null && s.path("sync").size() == 4
        && List.of("CDS", "LDS", "EDS", "RDS").stream().allMatch(t -> "SYNCED".equals(s.path("sync").path(t).asText()));
  }

  private static String sync(ApiClient api, String node, String type) {
    JsonNode s = streamOf(api.get("/v1/proxies").body(), node);
    return s == null ? null : s.path("sync").path(type).asText(null);
  }

  private static JsonNode streamOf(JsonNode body, String node) {
    for (JsonNode item : body.path("items")) {
      if (item.path("stream").path("nodeId").asText().equals(node)) {
        return item.path("stream");
      }
    }
    return null;
  }

  private static String replicaOf(JsonNode body, String node) {
    for (JsonNode item : body.path("items")) {
      if (item.path("stream").path("nodeId").asText().equals(node)) {
        return item.path("replica").asText();
      }
    }
    return null;
  }

  private static AdsProbe probe(int port, String nodeId) {
    return new AdsProbe(port, Mesh.AGENT_A, XdsMessages.node(nodeId, AdsProbe.ENVOY, XdsMessages.metadata("a")));
  }

  /** A client-only Envoy node in {@code zone} (its node's {@code locality.zone}). */
  private static AdsProbe probe(int port, String nodeId, String zone) {
    return new AdsProbe(port, Mesh.AGENT_A, XdsMessages.node(nodeId, AdsProbe.ENVOY, XdsMessages.metadata("a"))
        .toBuilder().setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder().setZone(zone)).build());
  }

  private static Map<String, DiscoveryResponse> subscribeAndAckAll(AdsProbe probe) {
    return probe.subscribeAndAckAll(NAMES, WAIT);
  }

  private static ApiClient replica2Api() {
    return replicas.secondApi();
  }
}
