package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.RegistryPerClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Create, read, update, list and delete of every resource through HTTP, against a real etcd. */
class CrudTest {
  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  private static String httpService(String dnsName, int port) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + dnsName
        + "\",\"port\":" + port + "}]}";
  }

  private static List<JsonNode> items(ApiClient.Response r) {
    return StreamSupport.stream(r.body().path("items").spliterator(), false).toList();
  }

  private static JsonNode item(ApiClient.Response list, String field, String value) {
    return items(list).stream().filter(i -> value.equals(i.path(field).asText())).findFirst().orElse(null);
  }

  /** etcd keys (without the "@revision" suffix) under this registry's prefix + {@code relative}. */
  private static List<String> keysUnder(String relative) {
    String start = registry.testRegistry().keys().prefix() + relative;
    List<String> out = new ArrayList<>();
    for (String k : registry.testRegistry().etcdContents().keySet()) {
      String key = k.substring(0, k.lastIndexOf('@'));
      if (key.startsWith(start)) {
        out.add(key.substring(registry.testRegistry().keys().prefix().length()));
      }
    }
    return out;
  }

  private static String vipOf(String ns, String svc, String dnsName) {
    JsonNode s = item(registry.api().get("/v1/namespaces/" + ns + "/services").expect(200), "discoveryName", svc);
    assertThat(s).as("service %s in list", svc).isNotNull();
    for (JsonNode a : s.path("clientAliases")) {
      if (a.path("dnsName").asText().equals(dnsName)) {
        return a.path("vip").asText(null);
      }
    }
    return null;
  }

  @Test
  void namespaceRoundTripsThroughCreateGetUpdateListAndDelete() {
    ApiClient.Response created = registry.api().put("/v1/namespaces/crud-ns", "{\"description\":\"first\"}").expect(201);
    assertThat(created.etag()).matches("\"[0-9]+\"");
    assertThat(created.body().path("name").asText()).isEqualTo("crud-ns");

    ApiClient.Response got = registry.api().get("/v1/namespaces/crud-ns").expect(200);
    assertThat(got.body().path("name").asText()).isEqualTo("crud-ns");
    assertThat(got.body().path("description").asText()).isEqualTo("first");
    assertThat(got.etag()).isEqualTo(created.etag());

    ApiClient.Response updated = registry.api().put("/v1/namespaces/crud-ns", "{\"description\":\"second\"}").expect(200);
    assertThat(updated.etag()).isNotEqualTo(created.etag());
    ApiClient.Response reread = registry.api().get("/v1/namespaces/crud-ns").expect(200);
    assertThat(reread.body().path("description").asText()).isEqualTo("second");
    assertThat(reread.etag()).isEqualTo(updated.etag());

    JsonNode listed = item(registry.api().get("/v1/namespaces").expect(200), "name", "crud-ns");
    assertThat(listed).isNotNull();
    assertThat(listed.path("description").asText()).isEqualTo("second");
    assertThat(listed.path("services").asInt()).isZero();
    assertThat("\"" + listed.path("modRevision").asLong() + "\"").isEqualTo(updated.etag());

    registry.api().delete("/v1/namespaces/crud-ns").expect(204);
    assertThat(registry.api().get("/v1/namespaces/crud-ns").expect(404).errorCode()).isEqualTo("NOT_FOUND");
    assertThat(item(registry.api().get("/v1/namespaces").expect(200), "name", "crud-ns")).isNull();
    assertThat(keysUnder("namespaces/crud-ns")).isEmpty();
    assertThat(registry.api().delete("/v1/namespaces/crud-ns").expect(404).errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  void serviceRoundTripsWithStoredBodyEtagAndVip() {
    registry.api().put("/v1/namespaces/crud-svc", "{}").expect(201);
    String path = "/v1/namespaces/crud-svc/services/payments";
    String body = "{\"portName\":\"http\",\"appProtocol\":\"grpc\",\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080}],"
        + "\"timeout\":{\"perRequestTimeoutSeconds\":4},\"loadBalancing\":\"LEAST_REQUEST\"}";
    ApiClient.Response created = registry.api().put(path, body).expect(201);

    ApiClient.Response got = registry.api().get(path).expect(200);
    assertThat(got.etag()).isEqualTo(created.etag());
    JsonNode spec = got.body();
    assertThat(spec.path("discoveryName").asText()).isEqualTo("payments");
    assertThat(spec.path("portName").asText()).isEqualTo("http");
    assertThat(spec.path("appProtocol").asText()).isEqualTo("grpc");
    assertThat(spec.path("clientAliases").get(0).path("dnsName").asText()).isEqualTo("payments");
    assertThat(spec.path("clientAliases").get(0).path("port").asInt()).isEqualTo(8080);
    assertThat(spec.path("timeout").path("perRequestTimeoutSeconds").asInt()).isEqualTo(4);
    assertThat(spec.path("timeout").has("idleTimeoutSeconds")).as("stored body is not filled with defaults").isFalse();
    assertThat(spec.path("loadBalancing").asText()).isEqualTo("LEAST_REQUEST");
    assertThat(spec.has("retryPolicy")).isFalse();

    String vip = vipOf("crud-svc", "payments", "payments");
    assertThat(vip).matches("127\\.255\\.[0-9]+\\.[0-9]+");
    assertThat(registry.testRegistry().etcdContents()).containsValue(vip);

    ApiClient.Response updated = registry.api().put(path,
        "{\"portName\":\"grpc\",\"appProtocol\":\"grpc\",\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080},"
            + "{\"dnsName\":\"pay.internal\",\"port\":9090}]}", "If-Match", created.etag()).expect(200);
    assertThat(updated.etag()).isNotEqualTo(created.etag());
    JsonNode after = registry.api().get(path).expect(200).body();
    assertThat(after.path("portName").asText()).isEqualTo("grpc");
    assertThat(after.has("timeout")).as("a PUT replaces the whole spec").isFalse();
    assertThat(after.path("clientAliases")).hasSize(2);
    assertThat(vipOf("crud-svc", "payments", "pay.internal")).as("every alias of a service shares its VIP").isEqualTo(vip);
    assertThat(vipOf("crud-svc", "payments", "payments")).isEqualTo(vip);

    JsonNode listed = item(registry.api().get("/v1/namespaces/crud-svc/services").expect(200), "discoveryName", "payments");
    assertThat(listed.path("portName").asText()).isEqualTo("grpc");
    assertThat(listed.path("endpoints").asInt()).isZero();
    assertThat(item(registry.api().get("/v1/namespaces").expect(200), "name", "crud-svc").path("services").asInt()).isEqualTo(1);

    registry.api().delete(path).expect(204);
    assertThat(registry.api().get(path).expect(404).errorCode()).isEqualTo("NOT_FOUND");
    assertThat(items(registry.api().get("/v1/namespaces/crud-svc/services").expect(200))).isEmpty();
    assertThat(keysUnder("services/crud-svc/")).isEmpty();
  }

  @Test
  void endpointRoundTripsAndHealthUpdateIsVisible() {
    registry.api().put("/v1/namespaces/crud-ep", "{}").expect(201);
    registry.api().put("/v1/namespaces/crud-ep/services/orders", httpService("orders", 80)).expect(201);
    String path = "/v1/namespaces/crud-ep/services/orders/endpoints/task-1";
    ApiClient.Response created = registry.api().put(path,
        "{\"address\":\"10.0.3.7\",\"port\":15000,\"zone\":\"onprem-a\",\"taskId\":\"arn:task/1\",\"host\":\"h1\","
            + "\"metadata\":{\"version\":\"v1\"}}").expect(201);

    ApiClient.Response got = registry.api().get(path).expect(200);
    assertThat(got.etag()).isEqualTo(created.etag());
    assertThat(got.body().path("address").asText()).isEqualTo("10.0.3.7");
    assertThat(got.body().path("port").asInt()).isEqualTo(15000);
    assertThat(got.body().path("zone").asText()).isEqualTo("onprem-a");
    assertThat(got.body().path("taskId").asText()).isEqualTo("arn:task/1");
    assertThat(got.body().path("metadata").path("version").asText()).isEqualTo("v1");

    ApiClient.Response updated = registry.api().put(path, "{\"address\":\"10.0.3.8\",\"port\":15001,\"health\":\"UNHEALTHY\"}").expect(200);
    assertThat(updated.etag()).isNotEqualTo(created.etag());
    JsonNode after = registry.api().get(path).expect(200).body();
    assertThat(after.path("address").asText()).isEqualTo("10.0.3.8");
    assertThat(after.path("health").asText()).isEqualTo("UNHEALTHY");
    assertThat(after.has("zone")).isFalse();

    registry.api().put("/v1/namespaces/crud-ep/services/orders/endpoints/task-2", "{\"address\":\"10.0.3.9\",\"port\":15000}").expect(201);
    ApiClient.Response list = registry.api().get("/v1/namespaces/crud-ep/services/orders/endpoints").expect(200);
    assertThat(items(list)).extracting(i -> i.path("id").asText()).containsExactly("task-1", "task-2");
    assertThat(item(list, "id", "task-1").path("address").asText()).isEqualTo("10.0.3.8");
    JsonNode summary = item(registry.api().get("/v1/namespaces/crud-ep/services").expect(200), "discoveryName", "orders");
    assertThat(summary.path("endpoints").asInt()).isEqualTo(2);
    assertThat(summary.path("healthyEndpoints").asInt()).as("task-1 UNHEALTHY, task-2 HEALTHY by default").isEqualTo(1);

    ApiClient.Response drained = registry.api().put(path + "/health", "{\"health\":\"DRAINING\"}").expect(200);
    assertThat(drained.etag()).isNotEqualTo(updated.etag());
    JsonNode draining = registry.api().get(path).expect(200).body();
    assertThat(draining.path("health").asText()).isEqualTo("DRAINING");
    assertThat(draining.path("address").asText()).as("a health update keeps the rest").isEqualTo("10.0.3.8");
    assertThat(item(registry.api().get("/v1/namespaces/crud-ep/services/orders/endpoints").expect(200), "id", "task-1")
        .path("health").asText()).isEqualTo("DRAINING");

    registry.api().delete(path).expect(204);
    assertThat(registry.api().get(path).expect(404).errorCode()).isEqualTo("NOT_FOUND");
    assertThat(items(registry.api().get("/v1/namespaces/crud-ep/services/orders/endpoints").expect(200)))
        .extracting(i -> i.path("id").asText()).containsExactly("task-2");
    assertThat(keysUnder("endpoints/crud-ep/orders/")).containsExactly("endpoints/crud-ep/orders/task-2");
  }

  @Test
  void deletingNamespaceWithServicesIsFailedPreconditionAndKeepsIt() {
    ApiClient.Response ns = registry.api().put("/v1/namespaces/crud-busy", "{\"description\":\"busy\"}").expect(201);
    registry.api().put("/v1/namespaces/crud-busy/services/api", httpService("api", 80)).expect(201);
    Map<String, String> before = registry.testRegistry().etcdContents();

    ApiClient.Response refused = registry.api().delete("/v1/namespaces/crud-busy").expect(409);
    assertThat(refused.errorCode()).isEqualTo("FAILED_PRECONDITION");
    assertThat(registry.testRegistry().etcdContents()).isEqualTo(before);
    ApiClient.Response still = registry.api().get("/v1/namespaces/crud-busy").expect(200);
    assertThat(still.etag()).isEqualTo(ns.etag());
    registry.api().get("/v1/namespaces/crud-busy/services/api").expect(200);

    registry.api().delete("/v1/namespaces/crud-busy/services/api").expect(204);
    registry.api().delete("/v1/namespaces/crud-busy").expect(204);
    registry.api().get("/v1/namespaces/crud-busy").expect(404);
    assertThat(registry.testRegistry().etcdContents().keySet()).noneMatch(k -> k.contains("crud-busy"));
  }

  @Test
  void deletingServiceRemovesItsEndpointsAndVipsAndTheVipIsReused() {
    registry.api().put("/v1/namespaces/crud-vip", "{}").expect(201);
    String svc = "/v1/namespaces/crud-vip/services/cart";
    registry.api().put(svc, "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":"
        + "[{\"dnsName\":\"cart\",\"port\":80},{\"dnsName\":\"cart.shop\",\"port\":8080}]}").expect(201);
    registry.api().put(svc + "/endpoints/t1", "{\"address\":\"10.1.0.1\",\"port\":15000}").expect(201);
    registry.api().put(svc + "/endpoints/t2", "{\"address\":\"10.1.0.2\",\"port\":15000}").expect(201);
    registry.api().put("/v1/namespaces/crud-vip/services/other", httpService("other", 80)).expect(201);
    String vip = vipOf("crud-vip", "cart", "cart");
    String otherVip = vipOf("crud-vip", "other", "other");
    assertThat(vip).isNotNull().isNotEqualTo(otherVip);
    assertThat(keysUnder("vips/crud-vip/")).containsExactlyInAnyOrder(
        "vips/crud-vip/cart:80", "vips/crud-vip/cart.shop:8080", "vips/crud-vip/other:80");
    assertThat(keysUnder("vipaddrs/crud-vip/")).containsExactlyInAnyOrder(
        "vipaddrs/crud-vip/" + vip, "vipaddrs/crud-vip/" + otherVip);
    assertThat(keysUnder("endpoints/crud-vip/cart/")).hasSize(2);

    registry.api().delete(svc).expect(204);

    assertThat(keysUnder("endpoints/crud-vip/cart/")).isEmpty();
    assertThat(keysUnder("vips/crud-vip/")).containsExactly("vips/crud-vip/other:80");
    assertThat(keysUnder("vipaddrs/crud-vip/")).containsExactly("vipaddrs/crud-vip/" + otherVip);
    registry.api().get(svc + "/endpoints/t1").expect(404);
    registry.api().get(svc + "/endpoints").expect(404);

    // The freed aliases can be claimed by another service...
    registry.api().put("/v1/namespaces/crud-vip/services/basket", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"cart\",\"port\":80}]}").expect(201);
    assertThat(vipOf("crud-vip", "basket", "cart")).matches("127\\.255\\.[0-9]+\\.[0-9]+").isNotEqualTo(otherVip);
    registry.api().delete("/v1/namespaces/crud-vip/services/basket").expect(204);
    // ...and the freed address by the service re-created under its old name, with no endpoints left over.
    registry.api().put(svc, httpService("cart", 80)).expect(201);
    assertThat(vipOf("crud-vip", "cart", "cart")).isEqualTo(vip);
    assertThat(items(registry.api().get(svc + "/endpoints").expect(200))).isEmpty();
  }

  @Test
  void ifNoneMatchStarCreatesOnlyWhenAbsent() {
    ApiClient.Response ns = registry.api().put("/v1/namespaces/crud-inm", "{}", "If-None-Match", "*").expect(201);
    ApiClient.Response svc = registry.api().put("/v1/namespaces/crud-inm/services/s", httpService("s", 80), "If-None-Match", "*").expect(201);
    ApiClient.Response ep = registry.api().put("/v1/namespaces/crud-inm/services/s/endpoints/e",
        "{\"address\":\"10.2.0.1\",\"port\":1}", "If-None-Match", "*").expect(201);
    Map<String, String> before = registry.testRegistry().etcdContents();

    ApiClient.Response r1 = registry.api().put("/v1/namespaces/crud-inm", "{\"description\":\"x\"}", "If-None-Match", "*").expect(412);
    ApiClient.Response r2 = registry.api().put("/v1/namespaces/crud-inm/services/s", httpService("s2", 80), "If-None-Match", "*").expect(412);
    ApiClient.Response r3 = registry.api().put("/v1/namespaces/crud-inm/services/s/endpoints/e",
        "{\"address\":\"10.2.0.2\",\"port\":1}", "If-None-Match", "*").expect(412);
    assertThat(List.of(r1, r2, r3)).allSatisfy(r -> assertThat(r.errorCode()).isEqualTo("PRECONDITION_FAILED"));
    assertThat(registry.testRegistry().etcdContents()).isEqualTo(before);
    assertThat(registry.api().get("/v1/namespaces/crud-inm").expect(200).etag()).isEqualTo(ns.etag());
    assertThat(registry.api().get("/v1/namespaces/crud-inm/services/s").expect(200).etag()).isEqualTo(svc.etag());
    assertThat(registry.api().get("/v1/namespaces/crud-inm/services/s/endpoints/e").expect(200).etag()).isEqualTo(ep.etag());
  }

  @Test
  void matchingIfMatchUpdatesAndDeletes() {
    ApiClient.Response ns = registry.api().put("/v1/namespaces/crud-im", "{}").expect(201);
    ApiClient.Response updated = registry.api().put("/v1/namespaces/crud-im", "{\"description\":\"v2\"}", "If-Match", ns.etag()).expect(200);
    registry.api().delete("/v1/namespaces/crud-im", "If-Match", ns.etag()).expect(412);
    registry.api().get("/v1/namespaces/crud-im").expect(200);
    registry.api().delete("/v1/namespaces/crud-im", "If-Match", updated.etag()).expect(204);
    registry.api().get("/v1/namespaces/crud-im").expect(404);
    assertThat(registry.api().put("/v1/namespaces/crud-im", "{}", "If-Match", "*").expect(412).errorCode())
        .as("If-Match: * needs an existing resource").isEqualTo("PRECONDITION_FAILED");
    registry.api().get("/v1/namespaces/crud-im").expect(404);
  }
}
