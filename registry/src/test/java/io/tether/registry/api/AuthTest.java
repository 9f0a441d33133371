package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bearer-token authentication and what each role may do. */
class AuthTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String EP_A = "/v1/namespaces/a/services/web/endpoints";
  private static final String EP_B = "/v1/namespaces/b/services/web/endpoints";
  private static final String SERVICE = "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"web\",\"port\":80}]}";

  private static TestRegistry registry;
  private static ApiClient admin;
  private static ApiClient reader;
  private static ApiClient agentA;
  private static ApiClient agentB;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    admin = registry.admin();
    reader = registry.client(TestRegistry.READER);
    agentA = registry.client(TestRegistry.AGENT_A);
    agentB = registry.client(TestRegistry.AGENT_B);
    for (String ns : new String[] {"a", "b"}) {
      admin.put("/v1/namespaces/" + ns, "{}").expect(201);
      admin.put("/v1/namespaces/" + ns + "/services/web", SERVICE).expect(201);
    }
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static void expectDenied(ApiClient.Response r) {
    r.expect(403);
    assertThat(r.errorCode()).isEqualTo("PERMISSION_DENIED");
  }

  private static HttpResponse<String> raw(String method, String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(registry.baseUrl() + path))
        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofString("{}"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long grantLease(ApiClient as, String ns) {
    ApiClient.Response r = as.post("/v1/leases", "{\"ttlSeconds\":10,\"namespace\":\"" + ns + "\"}").expect(201);
    assertThat(r.body().path("namespace").asText()).isEqualTo(ns);
    assertThat(r.body().path("ttlSeconds").asLong()).isBetween(1L, 10L);
    long id = r.body().path("leaseId").asLong();
    assertThat(id).isPositive();
    return id;
  }

  private static String endpoint(String address, long leaseId) {
    return "{\"address\":\"" + address + "\",\"port\":15000,\"leaseId\":" + leaseId + "}";
  }

  @Test
  void missingOrUnknownTokenIs401WithBearerChallengeAndChangesNothing() throws Exception {
    Map<String, String> before = registry.etcdContents();
    String[][] cases = {
        {"GET", "/v1/namespaces", null},
        {"PUT", "/v1/namespaces/unauth", null},
        {"PUT", "/v1/namespaces/unauth", "Bearer not-a-known-token-0123456789"},
        {"DELETE", "/v1/namespaces/a", "Bearer " + TestRegistry.ADMIN + "x"},
        {"GET", "/v1/namespaces/a", "Basic " + TestRegistry.ADMIN},
        {"GET", "/v1/namespaces/a", TestRegistry.ADMIN},
        {"POST", "/v1/leases", "Bearer "},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = raw(c[0], c[1], c[2]);
      assertThat(r.statusCode()).as("%s %s with %s: %s", c[0], c[1], c[2], r.body()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).as("%s %s", c[0], c[1]).hasValueSatisfying(
          v -> assertThat(v).startsWith("Bearer"));
      assertThat(r.body()).contains("\"code\":\"UNAUTHENTICATED\"");
    }
    ApiClient anonymous = registry.client(null);
    assertThat(anonymous.get("/v1/namespaces/a").expect(401).errorCode()).isEqualTo("UNAUTHENTICATED");
    assertThat(registry.etcdContents()).isEqualTo(before);
    admin.get("/v1/namespaces/unauth").expect(404);
  }

  @Test
  void tokenSchemeIsCaseInsensitive() throws Exception {
    assertThat(raw("GET", "/v1/namespaces", "bearer " + TestRegistry.READER).statusCode()).isEqualTo(200);
  }

  @Test
  void readerCanGetButNotWrite() {
    Map<String, String> before = registry.etcdContents();
    expectDenied(reader.put("/v1/namespaces/reader-ns", "{}"));
    expectDenied(reader.put("/v1/namespaces/a", "{\"description\":\"mine\"}"));
    expectDenied(reader.delete("/v1/namespaces/a"));
    expectDenied(reader.put("/v1/namespaces/a/services/web", SERVICE));
    expectDenied(reader.delete("/v1/namespaces/a/services/web"));
    expectDenied(reader.put(EP_A + "/r1", "{\"address\":\"10.0.0.1\",\"port\":1}"));
    expectDenied(reader.post("/v1/leases", "{\"ttlSeconds\":10,\"namespace\":\"a\"}"));
    assertThat(registry.etcdContents()).isEqualTo(before);

    assertThat(reader.get("/v1/namespaces").expect(200).body().path("items")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(reader.get("/v1/namespaces/a").expect(200).etag()).isNotNull();
    assertThat(reader.get("/v1/namespaces/b/services").expect(200).body().path("items")).hasSize(1);
    assertThat(reader.get("/v1/namespaces/a/services/web?effective=true").expect(200)
        .body().path("timeout").path("perRequestTimeoutSeconds").asInt()).isEqualTo(15);
    reader.get(EP_A).expect(200);
  }

  @Test
  void agentRegistersEndpointUnderItsOwnLeaseAndRevokingItRemovesTheEndpoint() {
    long lease = grantLease(agentA, "a");
    ApiClient.Response created = agentA.put(EP_A + "/agent-task-1", endpoint("10.9.0.1", lease)).expect(201);
    ApiClient.Response got = agentA.get(EP_A + "/agent-task-1").expect(200);
    assertThat(got.etag()).isEqualTo(created.etag());
    assertThat(got.body().path("leaseId").asLong()).isEqualTo(lease);

    ApiClient.Response renewed = agentA.post("/v1/leases/" + lease + "/keepalive", "").expect(200);
    assertThat(renewed.body().path("leaseId").asLong()).isEqualTo(lease);
    assertThat(renewed.body().path("ttlSeconds").asLong()).isPositive();

    ApiClient.Response drained = agentA.put(EP_A + "/agent-task-1/health", "{\"health\":\"DRAINING\"}").expect(200);
    assertThat(drained.body().path("health").asText()).isEqualTo("DRAINING");

    agentA.delete("/v1/leases/" + lease).expect(204);
    Poll.until(Duration.ofSeconds(5), () -> agentA.get(EP_A + "/agent-task-1").status() == 404,
        () -> "endpoint still registered after its lease was revoked: " + agentA.get(EP_A + "/agent-task-1"));
    assertThat(registry.etcdContents().keySet()).noneMatch(k -> k.contains("endpoints/a/web/agent-task-1"));
    assertThat(agentA.post("/v1/leases/" + lease + "/keepalive", "").expect(404).errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  void agentMayNotTouchAnotherNamespace() {
    long leaseB = grantLease(agentB, "b");
    agentB.put(EP_B + "/b-task", endpoint("10.9.1.1", leaseB)).expect(201);
    long leaseA = grantLease(agentA, "a");
    Map<String, String> before = registry.etcdContents();

    expectDenied(agentA.put(EP_B + "/a-task", endpoint("10.9.1.2", leaseA)));
    expectDenied(agentA.put(EP_B + "/b-task", endpoint("10.9.1.2", leaseB)));
    expectDenied(agentA.put(EP_B + "/b-task/health", "{\"health\":\"DRAINING\"}"));
    expectDenied(agentA.delete(EP_B + "/b-task"));
    expectDenied(agentA.get(EP_B + "/b-task"));
    expectDenied(agentA.get(EP_B));
    expectDenied(agentA.get("/v1/namespaces/b"));
    expectDenied(agentA.get("/v1/namespaces"));
    expectDenied(agentA.post("/v1/leases", "{\"ttlSeconds\":10,\"namespace\":\"b\"}"));
    expectDenied(agentA.post("/v1/leases/" + leaseB + "/keepalive", ""));
    expectDenied(agentA.delete("/v1/leases/" + leaseB));
    ApiClient.Response borrowed = agentA.put(EP_A + "/a-task", endpoint("10.9.1.3", leaseB));
    expectDenied(borrowed);
    assertThat(borrowed.errorField()).as("a lease of namespace b used in a").isEqualTo("leaseId");
    assertThat(registry.etcdContents()).isEqualTo(before);

    agentB.post("/v1/leases/" + leaseB + "/keepalive", "").expect(200);
    agentB.get(EP_B + "/b-task").expect(200);
    agentB.delete("/v1/leases/" + leaseB).expect(204);
    agentA.delete("/v1/leases/" + leaseA).expect(204);
  }

  @Test
  void agentMayNotConfigureNamespacesOrServices() {
    Map<String, String> before = registry.etcdContents();
    expectDenied(agentA.put("/v1/namespaces/a/services/other", SERVICE.replace("\"web\"", "\"other\"")));
    expectDenied(agentA.put("/v1/namespaces/a/services/web", SERVICE));
    expectDenied(agentA.delete("/v1/namespaces/a/services/web"));
    expectDenied(agentA.put("/v1/namespaces/a", "{\"description\":\"agent\"}"));
    expectDenied(agentA.put("/v1/namespaces/agent-new", "{}"));
    expectDenied(agentA.delete("/v1/namespaces/a"));
    assertThat(registry.etcdContents()).isEqualTo(before);
    assertThat(agentA.get("/v1/namespaces/a/services/web").expect(200).body().path("discoveryName").asText())
        .isEqualTo("web");
  }

  @Test
  void agentEndpointWithoutLeaseIsRejectedButAdminMayRegisterOne() {
    Map<String, String> before = registry.etcdContents();
    ApiClient.Response r = agentA.put(EP_A + "/no-lease", "{\"address\":\"10.9.2.1\",\"port\":15000}").expect(400);
    assertThat(r.errorCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(r.errorField()).isEqualTo("leaseId");
    assertThat(registry.etcdContents()).isEqualTo(before);

    admin.put(EP_A + "/static", "{\"address\":\"10.9.2.2\",\"port\":15000}").expect(201);
    admin.delete(EP_A + "/static").expect(204);
  }

  @Test
  void probesNeedNoToken() throws Exception {
    HttpResponse<String> health = raw("GET", "/healthz", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"ok\"");
    HttpResponse<String> ready = raw("GET", "/readyz", null);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("\"ready\":true");
    assertThat(raw("GET", "/healthz", "Bearer wrong-token-0123456789").statusCode()).isEqualTo(200);
  }
}
