package io.tether.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.tether.model.json.Json;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A config a real Envoy rejects. Two client aliases of one service on the same port share the service's
 * VIP, so their two egress listeners bind the same address, which Envoy refuses. The API refuses such a
 * spec; this test writes it into etcd under the registry's key layout, as a registry older than that
 * rule (or a hand edit) would have left it, to show what the xDS side does with it: both a delta and a
 * state-of-the-world Envoy NACK it with Envoy's own error, /v1/proxies shows that error, the listener
 * type is not sent again until it changes, and both keep serving the config they had.
 */
class EnvoyNackTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  private static final String NS = "a";
  private static final String SVC = "nk";
  private static final int PORT = 8080;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String LDS = "listener_manager.lds.";

  private static final List<EnvoyProxy> envoys = new ArrayList<>();
  private static final List<HttpServer> servers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/" + NS, "{}").expect(201);
    envoys.add(EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-nack-sotw"), "GRPC"));
    envoys.add(EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-nack-delta"), "DELTA_GRPC"));
  }

  @AfterAll
  static void stop() {
    envoys.forEach(EnvoyProxy::close);
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void listenersEnvoyRejectsAreNackedOnceAndThePreviousConfigKeepsServing() throws Exception {
    mesh.api.put("/v1/namespaces/" + NS + "/services/" + SVC, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + SVC + "\",\"port\":" + PORT + "}]}").expect(201);
    register("nk-1", backend("nk-1"));
    String vip = mesh.vip(NS, SVC, PORT);
    String url = "http://" + vip + ":" + PORT;
    for (EnvoyProxy envoy : envoys) {
      Poll.until(WAIT, () -> envoy.stat(LDS + "update_success") > 0 && answers(url, "nk-1"), "routes " + url);
    }
    List<Long> attemptsBefore = envoys.stream().map(e -> e.stat(LDS + "update_attempt")).toList();
    PrometheusText metricsBefore = PrometheusText.of(mesh);
    assertThat(metricsBefore.value("tether_xds_proxies_connected", "namespace", NS, "kind", "envoy"))
        .as("connected Envoys in /metrics").isEqualTo(envoys.size());

    writeTwinAliasIntoEtcd(vip);

    for (EnvoyProxy envoy : envoys) {
      Poll.until(WAIT, () -> ldsNack(envoy) != null, () -> "the LDS NACK in /v1/proxies; envoy log:\n" + envoy.tail());
      assertThat(ldsNack(envoy).path("message").asText()).as("the NACK of %s", envoy.nodeId)
          .contains("egress:nk-twin:8080").contains("duplicate address '" + vip + ":" + PORT + "'");
      assertThat(envoy.stat(LDS + "update_rejected")).isEqualTo(1);
    }
    List<Long> attemptsAtNack = envoys.stream().map(e -> e.stat(LDS + "update_attempt")).toList();

    // A later change of another type closes the window: listeners were not sent again meanwhile.
    HttpServer second = backend("nk-2");
    register("nk-2", second);
    for (EnvoyProxy envoy : envoys) {
      Poll.until(WAIT, () -> envoy.admin("/clusters").contains(":" + second.getAddress().getPort() + "::"),
          "the new endpoint reaches " + envoy.nodeId);
    }
    for (int i = 0; i < envoys.size(); i++) {
      EnvoyProxy envoy = envoys.get(i);
      System.out.printf("[EnvoyNackTest] %s: LDS attempts %d before the bad write, %d at the NACK, %d after a later "
          + "EDS change; rejected %d%n", envoy.nodeId, attemptsBefore.get(i), attemptsAtNack.get(i),
          envoy.stat(LDS + "update_attempt"), envoy.stat(LDS + "update_rejected"));
      assertThat(envoy.stat(LDS + "update_rejected")).as("LDS NACKs").isEqualTo(1);
      assertThat(envoy.stat(LDS + "update_attempt")).as("LDS responses after the NACK")
          .isEqualTo(attemptsAtNack.get(i));
      Map<String, JsonNode> listeners = dynamicListeners(envoy);
      assertThat(listeners.get("egress:nk:8080").has("active_state")).as("the listener it kept").isTrue();
      JsonNode twin = listeners.get("egress:nk-twin:8080");
      assertThat(twin.has("active_state")).as("the rejected listener is not active: %s", twin).isFalse();
      assertThat(ldsNack(envoy).path("message").asText()).as("the NACK is Envoy's own error")
          .contains(twin.path("error_state").path("details").asText());
    }
    Poll.until(WAIT, () -> answers(url, "nk-2"), "the kept listener routes to the new endpoint too");
    assertMetrics(metricsBefore);
  }

  /** /metrics agrees: one LDS NACK per protocol, none sent again, and the EDS change timed to both ACKs. */
  private static void assertMetrics(PrometheusText before) {
    PrometheusText.awaitIncrease(mesh, before, WAIT, "tether_xds_write_to_ack_seconds_count", "type", "eds");
    PrometheusText after = PrometheusText.of(mesh);
    for (String protocol : List.of("sotw", "delta")) {
      assertThat(after.since(before, "tether_xds_nacks_total", "type", "lds",
          "protocol", protocol)).as("LDS NACKs over %s", protocol).isEqualTo(1);
      assertThat(after.since(before, "tether_xds_pushes_total", "type", "lds",
          "protocol", protocol)).as("LDS pushes over %s: the rejected one only", protocol).isEqualTo(1);
    }
    assertThat(after.since(before, "tether_xds_write_to_ack_seconds_count", "type", "lds"))
        .as("a rejected listener is not timed").isZero();
  }

  /** The bad spec, with the twin alias's VIP key as the registry would have allocated it, in one transaction. */
  private static void writeTwinAliasIntoEtcd(String vip) throws Exception {
    KeyLayout keys = new KeyLayout(mesh.prefix);
    ObjectNode spec = (ObjectNode) mesh.api.get("/v1/namespaces/" + NS + "/services/" + SVC).expect(200).body().deepCopy();
    spec.retain("discoveryName", "portName", "appProtocol", "clientAliases");
    ArrayNode aliases = (ArrayNode) spec.get("clientAliases");
    aliases.forEach(a -> ((ObjectNode) a).retain("dnsName", "port"));
    aliases.addObject().put("dnsName", "nk-twin").put("port", PORT);
    try (Client etcd = Client.builder().endpoints(mesh.etcdUrl).build()) {
      etcd.getKVClient().txn().Then(
          Op.put(keys.service(NS, SVC), ByteSequence.from(Json.MAPPER.writeValueAsBytes(spec)), PutOption.DEFAULT),
          Op.put(keys.vip(NS, "nk-twin:" + PORT), ByteSequence.from(vip, UTF_8), PutOption.DEFAULT))
          .commit().get(10, TimeUnit.SECONDS);
    }
  }

  /** Envoy's dynamic listeners by name, each with its active_state and (when rejected) its error_state. */
  private static Map<String, JsonNode> dynamicListeners(EnvoyProxy envoy) throws Exception {
    Map<String, JsonNode> byName = new TreeMap<>();
    for (JsonNode l : Json.MAPPER.readTree(envoy.admin("/config_dump?resource=dynamic_listeners")).path("configs")) {
      byName.put(l.path("name").asText(), l);
    }
    return byName;
  }

  private static JsonNode ldsNack(EnvoyProxy envoy) {
    JsonNode s = mesh.proxyStream(envoy.nodeId);
    return s == null || !s.path("lastNacks").has("LDS") ? null : s.path("lastNacks").path("LDS");
  }

  private static boolean answers(String url, String who) {
    for (int i = 0; i < 10; i++) {
      if (EnvoyProxy.get(url + "/").map(r -> r.statusCode() == 200 && r.body().equals(who)).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  private static HttpServer backend(String name) {
    HttpServer s = HttpBackends.httpBackend(name);
    servers.add(s);
    return s;
  }

  private static void register(String id, HttpServer backend) {
    mesh.api.put("/v1/namespaces/" + NS + "/services/" + SVC + "/endpoints/" + id,
        "{\"address\":\"127.0.0.1\",\"port\":" + backend.getAddress().getPort() + ",\"health\":\"HEALTHY\"}")
        .expect(201);
  }
}
