package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.RegistryPerClass;
import io.tether.registry.testing.SseStream;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authorization rules over the REST API against real etcd (docs/security.md "Authorization"): round trips,
 * If-Match, the namespace's deletion rule, the watch event, rights, and every bad rule refused with the field
 * it names while etcd stays as it was.
 */
class AuthorizationApiTest {
  private static final String NS = "/v1/namespaces/authz";
  private static final String RULES = NS + "/authorizations";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @org.junit.jupiter.api.extension.RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  @BeforeAll
  static void namespace() {
    ApiClient api = registry.api();
    api.put(NS, "{}").expect(201);
    api.put(NS + "/services/payments", "{\"portName\":\"http\",\"appProtocol\":\"http\"}").expect(201);
    api.put(NS + "/services/db", "{\"portName\":\"pg\",\"appProtocol\":\"tcp\"}").expect(201);
  }

  @Test
  void aRuleIsWrittenReadListedReplacedOnlyAtItsRevisionAndDeleted() {
    ApiClient api = registry.api();
    String rule = "{\"from\":\"checkout\",\"to\":\"payments\",\"http\":[{\"paths\":[\"/pay\",\"/refunds/*\"],\"methods\":[\"POST\"]}]}";
    ApiClient.Response created = api.put(RULES + "/checkout-pays", rule).expect(201);
    assertThat(created.body().path("name").asText()).isEqualTo("checkout-pays");

    ApiClient.Response read = api.get(RULES + "/checkout-pays").expect(200);
    assertThat(read.etag()).isEqualTo(created.etag());
    assertThat(read.body().path("http").get(0).path("paths").get(1).asText()).isEqualTo("/refunds/*");
    assertThat(read.body().has("action")).as("absent action stays absent (ALLOW)").isFalse();
    JsonNode items = api.get(RULES).expect(200).body().path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("to").asText()).isEqualTo("payments");
    assertThat(items.get(0).path("modRevision").asLong()).isPositive();

    String deny = "{\"from\":\"*\",\"to\":\"payments\",\"action\":\"DENY\"}";
    assertThat(api.put(RULES + "/checkout-pays", deny, "If-Match", "\"1\"").expect(412).errorCode())
        .isEqualTo("PRECONDITION_FAILED");
    ApiClient.Response replaced = api.put(RULES + "/checkout-pays", deny, "If-Match", created.etag()).expect(200);
    assertThat(api.get(RULES + "/checkout-pays").expect(200).body().path("action").asText()).isEqualTo("DENY");

    api.delete(RULES + "/checkout-pays", "If-Match", replaced.etag()).expect(204);
    assertThat(api.get(RULES + "/checkout-pays").expect(404).errorCode()).isEqualTo("NOT_FOUND");
    assertThat(api.delete(RULES + "/checkout-pays").expect(404).errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  void aNamespaceWithRulesIsNotDeletedAndTheRuleNeedsItsNamespace() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/authz-gone", "{}").expect(201);
    api.put("/v1/namespaces/authz-gone/authorizations/any", "{\"from\":\"*\",\"to\":\"web\"}").expect(201);
    ApiClient.Response refused = api.delete("/v1/namespaces/authz-gone").expect(409);
    assertThat(refused.errorCode()).isEqualTo("FAILED_PRECONDITION");
    assertThat(refused.body().path("error").path("message").asText()).contains("1 authorization(s)");
    api.delete("/v1/namespaces/authz-gone/authorizations/any").expect(204);
    api.delete("/v1/namespaces/authz-gone").expect(204);
    assertThat(api.put("/v1/namespaces/authz-gone/authorizations/any", "{\"from\":\"*\",\"to\":\"web\"}")
        .expect(404).errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  void readersReadAndOnlyAdminsWrite() {
    ApiClient api = registry.api();
    api.put(RULES + "/readable", "{\"from\":\"*\",\"to\":\"payments\"}").expect(201);
    ApiClient reader = api.as(TestRegistry.READER);
    reader.get(RULES + "/readable").expect(200);
    reader.get(RULES).expect(200);
    Map<String, String> before = registry.testRegistry().etcdContents();
    assertThat(reader.put(RULES + "/mine", "{\"from\":\"*\",\"to\":\"payments\"}").expect(403).errorCode())
        .isEqualTo("PERMISSION_DENIED");
    reader.delete(RULES + "/readable").expect(403);
    assertThat(registry.testRegistry().etcdContents()).isEqualTo(before);
    api.delete(RULES + "/readable").expect(204);
  }

  @Test
  void aRulePutAndDeleteAreWatchEvents() {
    ApiClient api = registry.api();
    String url = registry.testRegistry().baseUrl() + "/v1/watch?namespace=authz";
    try (SseStream watch = new SseStream(url, TestRegistry.ADMIN)) {
      watch.next(WAIT);
      ApiClient.Response put = api.put(RULES + "/watched", "{\"from\":\"*\",\"to\":\"payments\"}").expect(201);
      JsonNode event = watch.nextChange(WAIT).data();
      assertThat(event.path("kind").asText()).isEqualTo("authorization");
      assertThat(event.path("id").asText()).isEqualTo("watched");
      assertThat(event.path("op").asText()).isEqualTo("put");
      assertThat(event.path("value").path("from").asText()).isEqualTo("*");
      assertThat("\"" + event.path("revision").asLong() + "\"").isEqualTo(put.etag());
      api.delete(RULES + "/watched").expect(204);
      JsonNode gone = watch.nextChange(WAIT).data();
      assertThat(gone.path("op").asText()).isEqualTo("delete");
      assertThat(gone.path("id").asText()).isEqualTo("watched");
    }
  }

  static Stream<Arguments> badRules() {
    return Stream.of(
        bad("name in the path not a label", "/Bad_Name", "{\"from\":\"*\",\"to\":\"payments\"}", "name"),
        bad("name in the body differs", "/r", "{\"name\":\"other\",\"from\":\"*\",\"to\":\"payments\"}", "name"),
        bad("from missing", "/r", "{\"to\":\"payments\"}", "from"),
        bad("from not a label", "/r", "{\"from\":\"Check_out\",\"to\":\"payments\"}", "from"),
        bad("from a wildcard prefix", "/r", "{\"from\":\"check*\",\"to\":\"payments\"}", "from"),
        bad("to a wildcard", "/r", "{\"from\":\"*\",\"to\":\"*\"}", "to"),
        bad("to missing", "/r", "{\"from\":\"*\"}", "to"),
        bad("action in lower case", "/r", "{\"from\":\"*\",\"to\":\"payments\",\"action\":\"deny\"}", "action"),
        bad("unknown field", "/r", "{\"from\":\"*\",\"to\":\"payments\",\"acton\":\"DENY\"}", "acton"),
        bad("duplicate key", "/r", "{\"from\":\"*\",\"from\":\"a\",\"to\":\"payments\"}", "from"),
        bad("http on a tcp callee", "/r", "{\"from\":\"*\",\"to\":\"db\",\"http\":[{\"methods\":[\"GET\"]}]}", "http"),
        bad("http entry null", "/r", "{\"from\":\"*\",\"to\":\"payments\",\"http\":[null]}", "http[0]"),
        bad("http entry empty", "/r", "{\"from\":\"*\",\"to\":\"payments\",\"http\":[{}]}", "http[0]"),
        bad("http entry unknown field", "/r", "{\"from\":\"*\",\"to\":\"payments\",\"http\":[{\"path\":\"/a\"}]}",
            "http[0].path"),
        bad("path without '/'", "/r", http("{\"paths\":[\"pay\"]}"), "http[0].paths[0]"),
        bad("path with a star inside", "/r", http("{\"paths\":[\"/a/*/b\"]}"), "http[0].paths[0]"),
        bad("path with a query", "/r", http("{\"paths\":[\"/a?b=1\"]}"), "http[0].paths[0]"),
        bad("path with a space", "/r", http("{\"paths\":[\"/a b\"]}"), "http[0].paths[0]"),
        bad("paths empty", "/r", http("{\"paths\":[]}"), "http[0].paths"),
        bad("method in lower case", "/r", http("{\"methods\":[\"get\"]}"), "http[0].methods[0]"),
        bad("method twice", "/r", http("{\"methods\":[\"GET\",\"GET\"]}"), "http[0].methods[1]"),
        bad("method not a token", "/r", http("{\"methods\":[\"GE T\"]}"), "http[0].methods[0]"),
        bad("too many http entries", "/r", http(String.join(",", java.util.Collections.nCopies(17,
            "{\"methods\":[\"GET\"]}"))), "http"),
        bad("too many paths", "/r", http("{\"paths\":[" + String.join(",", java.util.Collections.nCopies(33,
            "\"/a\"")) + "]}"), "http[0].paths"),
        bad("policy default in lower case", "", "{\"authorization\":{\"defaultAction\":\"deny\"}}",
            "authorization.defaultAction"),
        bad("policy default unknown field", "", "{\"authorization\":{\"default\":\"DENY\"}}",
            "authorization.default"));
  }

  private static String http(String entries) {
    return "{\"from\":\"*\",\"to\":\"payments\",\"http\":[" + entries + "]}";
  }

  /** {@code rule} "" puts the body as the service payments' policy instead of as a rule. */
  private static Arguments bad(String description, String rule, String body, String field) {
    return Arguments.of(Named.of(description, new String[] {rule, body, field}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRules")
  void aBadRuleIs400NamingItsFieldAndNothingIsWritten(String[] row) {
    ApiClient api = registry.api();
    String path = row[0].isEmpty() ? NS + "/services/payments" : RULES + row[0];
    String body = row[0].isEmpty() ? "{\"portName\":\"http\",\"appProtocol\":\"http\"," + row[1].substring(1) : row[1];
    Map<String, String> before = registry.testRegistry().etcdContents();

    ApiClient.Response r = api.put(path, body);

    assertThat(r.status()).as("status of %s", r).isEqualTo(400);
    assertThat(r.errorCode()).as("%s", r).isEqualTo("INVALID_ARGUMENT");
    assertThat(r.errorField()).as("%s", r).isEqualTo(row[2]);
    assertThat(registry.testRegistry().etcdContents()).isEqualTo(before);
  }

  @Test
  void anUnknownFieldSuggestsTheKnownOne() {
    ApiClient.Response r = registry.api().put(RULES + "/r", "{\"from\":\"*\",\"to\":\"payments\",\"acton\":\"DENY\"}").expect(400);
    assertThat(r.body().path("error").path("message").asText()).contains("did you mean 'action'");
  }

  @Test
  void thePolicyDefaultIsInheritedAndShownEffective() {
    ApiClient api = registry.api();
    assertThat(api.get(NS + "/services/payments?effective=true").expect(200).body()
        .path("authorization").path("defaultAction").asText()).isEqualTo("ALLOW");
    api.put("/v1/namespaces/authz-deny", "{\"defaults\":{\"authorization\":{\"defaultAction\":\"DENY\"}}}").expect(201);
    api.put("/v1/namespaces/authz-deny/services/web", "{\"portName\":\"http\"}").expect(201);
    assertThat(api.get("/v1/namespaces/authz-deny/services/web?effective=true").expect(200).body()
        .path("authorization").path("defaultAction").asText()).isEqualTo("DENY");
    api.delete("/v1/namespaces/authz-deny/services/web").expect(204);
    api.delete("/v1/namespaces/authz-deny").expect(204);
  }
}
