package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Namespaces are walls: a client sees only its own namespace's services, a client without a valid
 * token gets no configuration at all, and a token of one namespace cannot claim another; a service of
 * another namespace is seen only once exported to the client's and imported there (README "Exports and
 * imports"), by the import's alias.
 */
class IsolationTest {
  private static final long CALL_TIMEOUT_MS = 1_000;
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @Test
  void clientInNamespaceACannotResolveAServiceThatExistsOnlyInNamespaceB() {
    mesh.service("a", "iso-a-present", 8301, ""); // namespace a exists and has services of its own
    mesh.service("b", "iso-b-only", 8302, "");
    EchoBackend backend = mesh.backend("iso-b-only-1");
    mesh.register("b", "iso-b-only", backend, "HEALTHY");

    // control: the service works for a client of its own namespace
    ManagedChannel fromB = mesh.client("b", Mesh.AGENT_B).channel("iso-b-only:8302");
    assertThat(CallLoop.call(fromB, 5_000)).isEqualTo("iso-b-only-1");
    int callsBefore = backend.calls.get();

    ManagedChannel fromA = mesh.client("a", Mesh.AGENT_A).channel("iso-b-only:8302");
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(CallLoop.call(fromA, CALL_TIMEOUT_MS));
    }
    System.out.println("[IsolationTest] namespace a calling b's service: " + answers);
    assertThat(answers).as("calls from namespace a to b's service").doesNotContain("iso-b-only-1")
        .allMatch(a -> a.equals("UNAVAILABLE") || a.equals("DEADLINE_EXCEEDED"));
    assertThat(backend.calls.get()).as("calls b's backend saw from namespace a").isEqualTo(callsBefore);
  }

  @Test
  void anUnexportedServiceIsInvisibleAcrossNamespacesAndAnExportedOneIsCallableByItsImportAlias() {
    mesh.service("a", "iso-importer-peer", 8306, "");
    mesh.service("b", "iso-exported", 8307, "");
    EchoBackend backend = mesh.backend("iso-exported-1");
    mesh.register("b", "iso-exported", backend, "HEALTHY");
    mesh.api.put("/v1/namespaces/a/services/iso-imported", "{\"portName\":\"grpc\",\"clientAliases\":[{\"dnsName\":"
        + "\"iso-imported\",\"port\":8308}],\"importFrom\":{\"namespace\":\"b\",\"service\":\"iso-exported\"}}")
        .expect(201);
    ManagedChannel fromA = mesh.client("a", Mesh.AGENT_A).channel("iso-imported:8308");
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(CallLoop.call(fromA, CALL_TIMEOUT_MS));
    }
    System.out.println("[IsolationTest] the alias of a PENDING import: " + pending);
    assertThat(pending).allMatch(a -> a.equals("UNAVAILABLE") || a.equals("DEADLINE_EXCEEDED"));
    assertThat(backend.calls.get()).as("calls b's backend saw before the export").isZero();

    mesh.service("b", "iso-exported", 8307, "\"exports\":[\"a\"]");
    long ms = Poll.until(Duration.ofSeconds(10), () -> "iso-exported-1".equals(CallLoop.call(fromA, CALL_TIMEOUT_MS)),
        "a call by the import's alias once exported");
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(CallLoop.call(fromA, CALL_TIMEOUT_MS));
    }
    System.out.println("[IsolationTest] exported -> first answer by the alias after " + ms + " ms; "
        + answers.stream().filter("iso-exported-1"::equals).count() + " of 100 answered");
    assertThat(answers).as("100 calls by the alias").containsOnly("iso-exported-1");

    mesh.service("b", "iso-exported", 8307, "");
    Poll.until(Duration.ofSeconds(10), () -> !"iso-exported-1".equals(CallLoop.call(fromA, CALL_TIMEOUT_MS)),
        "calls by the alias fail once the export is withdrawn");
    int callsAfter = backend.calls.get();
    assertThat(CallLoop.call(fromA, CALL_TIMEOUT_MS)).isIn("UNAVAILABLE", "DEADLINE_EXCEEDED");
    assertThat(backend.calls.get()).as("calls b's backend saw after the withdrawal").isEqualTo(callsAfter);
  }

  @Test
  void clientWithAWrongTokenGetsNoConfigurationAndNoStream() {
    mesh.service("a", "iso-token", 8303, "");
    EchoBackend backend = mesh.backend("iso-token-1");
    mesh.register("a", "iso-token", backend, "HEALTHY");

    // control: a valid client gets through and shows up as a stream
    XdsClient good = mesh.client("a", Mesh.AGENT_A);
    assertThat(CallLoop.call(good.channel("iso-token:8303"), 5_000)).isEqualTo("iso-token-1");
    assertThat(streamNodeIds()).contains(good.nodeId);
    int callsBefore = backend.calls.get();

    XdsClient bad = mesh.client("a", "not-a-valid-token");
    ManagedChannel channel = bad.channel("iso-token:8303");
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(CallLoop.call(channel, CALL_TIMEOUT_MS));
    }
    System.out.println("[IsolationTest] client with a wrong token: " + answers);
    assertThat(answers).as("calls of a client with a wrong token")
        .allMatch(a -> a.equals("UNAVAILABLE") || a.equals("DEADLINE_EXCEEDED"));
    assertThat(backend.calls.get()).as("calls the backend saw from the client with a wrong token")
        .isEqualTo(callsBefore);
    assertThat(streamNodeIds()).as("streams in /v1/proxies").contains(good.nodeId).doesNotContain(bad.nodeId);
  }

  @Test
  void agentTokenOfNamespaceBClaimingNamespaceAIsRefused() {
    mesh.service("a", "iso-claim", 8304, "");
    EchoBackend backend = mesh.backend("iso-claim-1");
    mesh.register("a", "iso-claim", backend, "HEALTHY");

    XdsClient impostor = mesh.client("a", Mesh.AGENT_B);
    ManagedChannel channel = impostor.channel("iso-claim:8304");
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(CallLoop.call(channel, CALL_TIMEOUT_MS));
    }
    System.out.println("[IsolationTest] agent-b token claiming namespace a: " + answers);
    assertThat(answers).as("calls of a b agent claiming namespace a")
        .allMatch(a -> a.equals("UNAVAILABLE") || a.equals("DEADLINE_EXCEEDED"));
    assertThat(backend.calls.get()).as("calls a's backend saw from the impostor").isZero();

    JsonNode[] refusal = {null};
    Poll.until(Duration.ofSeconds(5), () -> {
      for (JsonNode r : mesh.api.get("/v1/proxies").expect(200).body().path("refused")) {
        if (r.path("nodeId").asText().equals(impostor.nodeId)) {
          refusal[0] = r;
          return true;
        }
      }
      return false;
    }, () -> "a refusal of node " + impostor.nodeId + " in /v1/proxies: " + mesh.api.get("/v1/proxies").raw());
    System.out.println("[IsolationTest] refusal: " + refusal[0]);
    assertThat(refusal[0].path("reason").asText()).contains("namespace").contains("'a'");
    assertThat(refusal[0].path("namespace").asText()).isEqualTo("a");
    assertThat(streamNodeIds()).as("streams in /v1/proxies").doesNotContain(impostor.nodeId);
  }

  private static List<String> streamNodeIds() {
    List<String> ids = new ArrayList<>();
    for (JsonNode item : mesh.api.get("/v1/proxies").expect(200).body().path("items")) {
      ids.add(item.path("stream").path("nodeId").asText());
    }
    return ids;
  }
}
