package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.tether.agent.relay.AdsRelay;
import io.tether.agent.relay.SourceFilter;
import io.tether.registry.testing.Poll;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No secret in a task (docs/security.md): a stock grpc-java proxyless app whose bootstrap has plain
 * {@code insecure} channel credentials and no token, pointed at its host's ADS relay, gets its
 * configuration; the relay adds the host's agent token, and the server pins the namespace to the
 * token's, so a local client claiming another namespace through the relay gets nothing.
 */
class RelayProxylessTest {
  private static final long CALL_TIMEOUT_MS = 1_000;
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static AdsRelay relay;

  @BeforeAll
  static void startRelay() {
    relay = AdsRelay.start(new AdsRelay.Config(List.of(InetAddress.getLoopbackAddress()), 0,
        SourceFilter.parse("allowedSources", List.of("127.0.0.0/8")), "127.0.0.1", mesh.xdsPort(), null,
        Mesh.AGENT_A));
  }

  @AfterAll
  static void stopRelay() {
    if (relay != null) {
      relay.close();
    }
  }

  private static int relayPort() {
    return relay.addresses().get(0).getPort();
  }

  @Test
  void aProxylessAppWithAnInsecureBootstrapGetsItsConfigThroughTheRelay() {
    serviceWithOneBackend("a", "relay-echo", 8311);

    XdsClient app = XdsClient.insecure(relayPort(), "a");
    try {
      assertThat(CallLoop.call(app.channel("relay-echo:8311"), 10_000)).isEqualTo("relay-echo-1");
      assertThat(mesh.proxyStream(app.nodeId)).as("the server holds the relayed stream").isNotNull();
    } finally {
      app.close();
    }
  }

  @Test
  void theSameBootstrapStraightToTheServerIsRefused() {
    EchoBackend backend = serviceWithOneBackend("a", "relay-direct", 8312);

    XdsClient app = XdsClient.insecure(mesh.xdsPort(), "a");
    try {
      List<String> answers = calls(app.channel("relay-direct:8312"));
      assertThat(answers).allMatch(a -> a.equals("UNAVAILABLE") || a.equals("DEADLINE_EXCEEDED"));
      assertThat(backend.calls.get()).isZero();
    } finally {
      app.close();
    }
  }

  @Test
  void aLocalClientClaimingAnotherNamespaceThroughTheRelayGetsNothing() {
    EchoBackend backend = serviceWithOneBackend("b", "relay-other", 8313);

    XdsClient impostor = XdsClient.insecure(relayPort(), "b");
    try {
      List<String> answers = calls(impostor.channel("relay-other:8313"));
      System.out.println("[RelayProxylessTest] a client claiming namespace b through a's relay: " + answers);
      assertThat(answers).allMatch(a -> a.equals("UNAVAILABLE") || a.equals("DEADLINE_EXCEEDED"));
      assertThat(backend.calls.get()).as("calls b's backend saw through a's relay").isZero();
      Poll.until(Duration.ofSeconds(5), () -> refusalOf(impostor.nodeId).isPresent(),
          () -> "a refusal of node " + impostor.nodeId + " in /v1/proxies: " + mesh.api.get("/v1/proxies").raw());
      assertThat(refusalOf(impostor.nodeId).orElseThrow().path("reason").asText()).contains("namespace");
      assertThat(mesh.proxyStream(impostor.nodeId)).as("no stream of the impostor").isNull();
    } finally {
      impostor.close();
    }
  }

  /** A service of {@code ns} with one HEALTHY echo backend, {@code NAME-1}. */
  private static EchoBackend serviceWithOneBackend(String ns, String name, int port) {
    mesh.service(ns, name, port, "");
    EchoBackend backend = mesh.backend(name + "-1");
    mesh.register(ns, name, backend, "HEALTHY");
    return backend;
  }

  private static List<String> calls(ManagedChannel channel) {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(CallLoop.call(channel, CALL_TIMEOUT_MS));
    }
    return answers;
  }

  private static Optional<JsonNode> refusalOf(String nodeId) {
    for (JsonNode r : mesh.api.get("/v1/proxies").expect(200).body().path("refused")) {
      if (r.path("nodeId").asText().equals(nodeId)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
