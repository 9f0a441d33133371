package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canary fields as the API receives them (README "Canaries and test traffic"): endpoint {@code labels},
 * service {@code subsets}, {@code split} and {@code testTraffic}; every refusal names its JSON path, and a
 * spec or endpoint without them is written as before they existed.
 */
class SubsetValidationTest {
  static final String SUBSETS = "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"version\":\"v1\"}},"
      + "{\"name\":\"v2\",\"labels\":{\"version\":\"v2\"}}]";
  static final String SPLIT = "\"split\":[{\"subset\":\"v1\",\"weight\":90},{\"subset\":\"v2\",\"weight\":10}]";
  static final String CANARY = "\"testTraffic\":[{\"name\":\"canary\",\"header\":{\"name\":\"x-canary\","
      + "\"exact\":\"true\"},\"to\":[{\"subset\":\"v2\"}]}]";

  static String spec(String protocol, String fields) {
    return "{\"portName\":\"p\",\"appProtocol\":\"" + protocol + "\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}]," + fields + "}";
  }

  static ServiceSpec validate(String json) {
    return Validation.service("web", Json.parse(json.getBytes(StandardCharsets.UTF_8), ServiceSpec.class));
  }

  static Endpoint endpoint(String labels) {
    return Validation.endpoint(Json.parse(("{\"address\":\"10.0.0.1\",\"port\":80,\"labels\":" + labels + "}")
        .getBytes(StandardCharsets.UTF_8), Endpoint.class));
  }

  private static Arguments bad(String description, String json, String field, String message) {
    return Refusal.row(description, json, field, message);
  }

  static Stream<Arguments> refused() {
    List<Arguments> rows = new ArrayList<>();
    rows.add(bad("a subset without labels", spec("http", "\"subsets\":[{\"name\":\"v1\",\"labels\":{}}]"),
        "subsets[0].labels", "subsets[0].labels must hold 1 to 8 labels"));
    rows.add(bad("a subset name that is no label", spec("http", "\"subsets\":[{\"name\":\"V1\",\"labels\":{\"a\":\"b\"}}]"),
        "subsets[0].name", "must be a DNS label"));
    rows.add(bad("a subset name used twice", spec("http",
        "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"a\":\"b\"}},{\"name\":\"v1\",\"labels\":{\"a\":\"c\"}}]"),
        "subsets[1].name", "subset name 'v1' is used twice"));
    rows.add(bad("a reserved selector key", spec("http",
        "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"tether.io/tls\":\"mesh\"}}]"),
        "subsets[0].labels.tether.io/tls", "keys under tether.io/ are reserved"));
    rows.add(bad("17 subsets", spec("http", "\"subsets\":[" + IntStream.range(0, 17)
        .mapToObj(i -> "{\"name\":\"s" + i + "\",\"labels\":{\"a\":\"" + i + "\"}}").collect(Collectors.joining(","))
        + "]"), "subsets", "subsets holds at most 16 subsets"));
    rows.add(bad("a split to a subset this service lacks", spec("http", SUBSETS
        + ",\"split\":[{\"subset\":\"v1\",\"weight\":90},{\"subset\":\"v3\",\"weight\":10}]"),
        "split[1].subset", "subset 'v3' is not one of this service's subsets (v1, v2)"));
    rows.add(bad("a split without subsets", spec("http", SPLIT), "split[0].subset", "(it has none)"));
    rows.add(bad("a split not adding up to 100", spec("http", SUBSETS
        + ",\"split\":[{\"subset\":\"v1\",\"weight\":90},{\"subset\":\"v2\",\"weight\":5}]"),
        "split", "weights of split must add up to 100, they add up to 95"));
    rows.add(bad("a subset listed twice", spec("http", SUBSETS
        + ",\"split\":[{\"subset\":\"v1\",\"weight\":50},{\"subset\":\"v1\",\"weight\":50}]"),
        "split[1].subset", "subset 'web~v1' is listed twice in split"));
    rows.add(bad("test traffic on tcp", spec("tcp", SUBSETS + "," + CANARY), "testTraffic",
        "testTraffic needs an http, http2 or grpc service"));
    rows.add(bad("test traffic without a header", spec("http", SUBSETS
        + ",\"testTraffic\":[{\"name\":\"c\",\"to\":[{\"subset\":\"v2\"}]}]"), "testTraffic[0].header",
        "testTraffic[0].header is required"));
    rows.add(bad("test traffic by regex", spec("http", SUBSETS + "," + CANARY.replace("\"exact\"", "\"regex\"")),
        "testTraffic[0].header", "matches by exact, prefix or present only"));
    rows.add(bad("test traffic on a grpc-* header", spec("grpc", SUBSETS + "," + CANARY.replace("x-canary",
        "grpc-canary")), "testTraffic[0].header.name", "gRPC clients do not match on grpc-* or *-bin headers"));
    rows.add(bad("test traffic to a subset this service lacks", spec("http", SUBSETS + ","
        + CANARY.replace("\"v2\"}", "\"v9\"}")), "testTraffic[0].to[0].subset", "subset 'v9' is not one of"));
    rows.add(bad("a route to a subset this service lacks", spec("http", SUBSETS + ",\"routes\":[{\"name\":\"r\","
        + "\"match\":{\"path\":{\"prefix\":\"/a\"}},\"to\":[{\"subset\":\"v3\"}]}]"), "routes[0].to[0].subset",
        "subset 'v3' is not one of this service's subsets (v1, v2)"));
    return rows.stream();
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesNamingTheField(Refusal row) {
    row.assertRefusedBy(json -> validate(json));
  }

  @Test
  void acceptsSubsetsASplitAndTestTrafficAndKeepsThemAsWritten() {
    ServiceSpec spec = validate(spec("http", SUBSETS + "," + SPLIT + "," + CANARY));
    assertThat(spec.traffic().subsetNames()).containsExactly("v1", "v2");
    assertThat(spec.traffic().split()).containsExactly(new Destination(null, "v1", 90), new Destination(null, "v2", 10));
    assertThat(spec.traffic().testTraffic().get(0).asRoute().match().headers().get(0).exact()).isEqualTo("true");
    assertThat(Json.writeString(Json.read(Json.write(spec), ServiceSpec.class))).isEqualTo(Json.writeString(spec));
    assertThat(Json.writeString(spec)).contains(SUBSETS).contains(SPLIT).contains(CANARY);
    assertThat(spec.traffic().subsetTargets("web")).isEmpty();
  }

  @Test
  void aTcpServiceMaySplit() {
    assertThat(validate(spec("tcp", SUBSETS + "," + SPLIT)).traffic().split()).hasSize(2);
  }

  @Test
  void subsetsOfAnotherServiceAreTheStoresToCheck() {
    ServiceSpec spec = validate(spec("http", "\"split\":[{\"service\":\"api\",\"subset\":\"v1\",\"weight\":50},"
        + "{\"service\":\"api\",\"weight\":50}]"));
    assertThat(spec.traffic().subsetTargets("web")).isEqualTo(Map.of("api", java.util.Set.of("v1")));
  }

  @Test
  void aSpecWithoutCanaryFieldsIsWrittenAsBefore() {
    ServiceSpec spec = validate(spec("http", "\"timeout\":{\"perRequestTimeoutSeconds\":5}"));
    assertThat(Json.writeString(spec)).doesNotContain("subsets").doesNotContain("split").doesNotContain("testTraffic");
    assertThat(Json.writeString(spec.withoutRouting())).isEqualTo(Json.writeString(spec));
  }

  @Test
  void endpointLabelsAreCheckedAndAnEndpointWithoutThemIsWrittenAsBefore() {
    assertThat(endpoint("{\"version\":\"v2\",\"app.kubernetes.io/track\":\"canary\"}").labels())
        .containsEntry("version", "v2");
    assertThat(Json.writeString(endpoint("{}"))).isEqualTo("{\"address\":\"10.0.0.1\",\"port\":80}");
    refusedEndpoint("{\"tether.io/x\":\"y\"}", "labels.tether.io/x", "labels: keys under tether.io/ are reserved");
    refusedEndpoint("{\"Version\":\"v2\"}", "labels.Version", "labels keys must be 1 to 63");
    refusedEndpoint("{\"version\":\"v 2\"}", "labels.version", "labels.version must be 1 to 63");
    refusedEndpoint("{\"version\":\"\"}", "labels.version", "labels.version must be 1 to 63");
    refusedEndpoint("{" + IntStream.range(0, 17).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(","))
        + "}", "labels", "labels holds at most 16 entries");
  }

  @Test
  void aSubsetSelectsTheEndpointsCarryingAllItsLabels() {
    Subset v2 = new Subset("v2", Map.of("version", "v2", "track", "canary"));
    assertThat(v2.selects(endpoint("{\"version\":\"v2\",\"track\":\"canary\",\"az\":\"a\"}"))).isTrue();
    assertThat(v2.selects(endpoint("{\"version\":\"v2\"}"))).isFalse();
  }

  private static void refusedEndpoint(String labels, String field, String message) {
    assertThatThrownBy(() -> endpoint(labels))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(message);
  }
}
