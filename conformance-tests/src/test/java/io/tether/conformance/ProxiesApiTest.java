package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Node ids are unique per namespace only, so {@code /v1/proxies} knows a proxy by (namespace, node
 * id): one id connected in two namespaces is two proxies, each listed with its namespace and each
 * readable by its own namespace's agents; the path parameters are checked as the client sent them.
 */
class ProxiesApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  @BeforeAll
  static void services() {
    mesh.service("a", "px-a", 8401, "");
    mesh.service("b", "px-b", 8402, "");
    mesh.awaitView();
  }

  @Test
  void oneNodeIdInTwoNamespacesIsTwoProxiesEachListedAndServedAsItsOwn() {
    String id = "dup-" + UUID.randomUUID();
    try (AdsProbe inB = connect(id, "b", Mesh.AGENT_B); AdsProbe inA = connect(id, "a", Mesh.AGENT_A)) {
      assertThat(namespacesOf(mesh.api.get("/v1/proxies"), id)).as("an admin lists both")
          .containsExactlyInAnyOrder("a", "b");
      ApiClient.Response onlyA = mesh.api.get("/v1/proxies?namespace=a").expect(200);
      assertThat(namespacesOf(onlyA, id)).as("?namespace=a: %s", onlyA).containsExactly("a");
      assertThat(onlyA.body().path("items")).allSatisfy(i -> assertThat(i.path("stream").path("namespace").asText())
          .isEqualTo("a"));

      ApiClient agentA = mesh.api.as(Mesh.AGENT_A);
      ApiClient.Response seenByA = agentA.get("/v1/proxies").expect(200);
      assertThat(namespacesOf(seenByA, id)).as("what agent a lists: %s", seenByA).containsExactly("a");
      assertThat(seenByA.body().path("items")).allSatisfy(i -> assertThat(i.path("stream").path("namespace").asText())
          .isEqualTo("a"));
      assertThat(agentA.get("/v1/proxies?namespace=b").expect(403).errorCode()).isEqualTo("PERMISSION_DENIED");

      JsonNode configA = mesh.api.get("/v1/proxies/a/" + id + "/config").expect(200).body();
      assertThat(configA.path("namespace").asText()).isEqualTo("a");
      assertThat(clusters(configA)).contains("px-a.a").doesNotContain("px-b.b");
      JsonNode configB = mesh.api.get("/v1/proxies/b/" + id + "/config").expect(200).body();
      assertThat(configB.path("namespace").asText()).isEqualTo("b");
      assertThat(clusters(configB)).contains("px-b.b").doesNotContain("px-a.a");
      assertThat(agentA.get("/v1/proxies/a/" + id + "/config").expect(200).body().path("namespace").asText())
          .isEqualTo("a");
      assertThat(agentA.get("/v1/proxies/b/" + id + "/config").expect(403).errorCode()).isEqualTo("PERMISSION_DENIED");
      assertThat(mesh.api.get("/v1/proxies/a/not-" + id + "/config").expect(404).errorCode()).isEqualTo("NOT_FOUND");
    }
  }

  @Test
  void configByNodeIdAloneAnswersWhenOneProxyTheCallerMayReadHasItAndIs409WhenSeveralDo() {
    String id = "bare-" + UUID.randomUUID();
    // b's stream first: the old lookup took the first stream with the id and hid it from agent a.
    AdsProbe inB = connect(id, "b", Mesh.AGENT_B);
    try (AdsProbe inA = connect(id, "a", Mesh.AGENT_A)) {
      String path = "/v1/proxies/" + id + "/config";
      assertThat(mesh.api.as(Mesh.AGENT_A).get(path).expect(200).body().path("namespace").asText()).isEqualTo("a");
      assertThat(mesh.api.as(Mesh.AGENT_B).get(path).expect(200).body().path("namespace").asText()).isEqualTo("b");

      ApiClient.Response ambiguous = mesh.api.get(path).expect(409);
      assertThat(ambiguous.errorCode()).isEqualTo("FAILED_PRECONDITION");
      assertThat(ambiguous.body().path("error").path("message").asText()).isEqualTo("node id '" + id
          + "' is connected in namespaces a, b; use /v1/proxies/{ns}/" + id + "/config");

      inB.close();
      Poll.until(WAIT, () -> namespacesOf(mesh.api.get("/v1/proxies"), id).equals(List.of("a")),
          () -> "b's stream leaves /v1/proxies: " + mesh.api.get("/v1/proxies").raw());
      assertThat(mesh.api.get(path).expect(200).body().path("namespace").asText()).as("unambiguous again").isEqualTo("a");
    } finally {
      inB.close();
    }
    ApiClient.Response[] gone = {null};
    Poll.until(WAIT, () -> (gone[0] = mesh.api.get("/v1/proxies/" + id + "/config")).status() == 404,
        () -> "404 once both streams closed: " + gone[0]);
    assertThat(gone[0].errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  void nodeIdsWithEveryCharacterAPathSegmentCarriesAsIsAreAddressable() {
    String id = "sidecar~10.0.0.7~task-1!$&'()*+,;=:@" + UUID.randomUUID();
    try (AdsProbe inA = connect(id, "a", Mesh.AGENT_A)) {
      JsonNode config = mesh.api.get("/v1/proxies/a/" + id + "/config").expect(200).body();
      assertThat(config.path("nodeId").asText()).isEqualTo(id);
      assertThat(mesh.api.get("/v1/proxies/" + id + "/config").expect(200).body().path("nodeId").asText()).isEqualTo(id);
    }
  }

  /**
   * Invalid path parameters, and the field the error names: null where the API's request guard
   * refuses the path before routing (a percent escape or a dot segment: what Vert.x would decode or
   * resolve into another node id or namespace).
   */
  static Stream<Arguments> invalidPaths() {
    String tooLong = "n".repeat(257);
    return Stream.of(
        Arguments.of("/v1/proxies/Not_A_Label/n1/config", "namespace"),
        Arguments.of("/v1/proxies?namespace=Not_A_Label", "namespace"),
        Arguments.of("/v1/proxies/a/" + tooLong + "/config", "nodeId"),
        Arguments.of("/v1/proxies/%61/n1/config", null), // "a", but only once decoded
        Arguments.of("/v1/proxies/a/x%2Fy/config", null),
        Arguments.of("/v1/proxies/x%2Fy/config", null),
        Arguments.of("/v1/proxies/a/n%201/config", null),
        Arguments.of("/v1/proxies/a/./config", null), // a dot segment Vert.x would resolve to node id "a"
        Arguments.of("/v1/proxies/b/../a/n1/config", null),
        Arguments.of("/v1/proxies/a/%2E/n1/config", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPaths")
  void pathParametersAreCheckedAsSentBeforeAnyDecoding(String path, String field) {
    ApiClient.Response r = mesh.api.get(path);
    assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(r.errorField()).as("GET %s: %s", path, r).isEqualTo(field);
  }

  /** A client of the namespace that has been sent its clusters: its group's snapshot exists. */
  private static AdsProbe connect(String nodeId, String ns, String token) {
    AdsProbe probe = new AdsProbe(mesh.xdsPort(), token, XdsMessages.node(nodeId, AdsProbe.ENVOY, XdsMessages.metadata(ns)));
    probe.subscribe(AdsProbe.CDS, List.of());
    probe.ack(probe.next(AdsProbe.CDS, WAIT), List.of());
    return probe;
  }

  /** The namespaces a node id is listed in, in the order listed. */
  private static List<String> namespacesOf(ApiClient.Response proxies, String nodeId) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : proxies.expect(200).body().path("items")) {
      if (item.path("stream").path("nodeId").asText().equals(nodeId)) {
        out.add(item.path("stream").path("namespace").asText());
      }
    }
    return out;
  }

  private static List<String> clusters(JsonNode config) {
    List<String> out = new ArrayList<>();
    config.path("resources").path("CLUSTER").fieldNames().forEachRemaining(out::add);
    return out;
  }
}
