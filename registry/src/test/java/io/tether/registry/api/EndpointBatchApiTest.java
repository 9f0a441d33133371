package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /v1/namespaces/{ns}/endpoints} on a real etcd: a batch is written all or nothing in one
 * revision, refuses bad input with the JSON error format naming the entry's field and writes nothing,
 * and takes the single endpoint write's rights.
 */
class EndpointBatchApiTest {
  private static final String BATCH = "/v1/namespaces/a/endpoints";
  private static TestRegistry registry;
  private static ApiClient admin;
  private static ApiClient agentA;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    admin = registry.admin();
    agentA = registry.client(TestRegistry.AGENT_A);
    for (String ns : new String[] {"a", "b"}) {
      admin.put("/v1/namespaces/" + ns, "{}").expect(201);
      admin.put("/v1/namespaces/" + ns + "/services/web", "{\"portName\":\"http\"}").expect(201);
      admin.put("/v1/namespaces/" + ns + "/services/api", "{\"portName\":\"http\"}").expect(201);
    }
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static String entry(String svc, String id, String endpoint) {
    return "{\"service\":\"" + svc + "\",\"id\":\"" + id + "\",\"endpoint\":" + endpoint + "}";
  }

  private static String endpoint(String address, Long lease) {
    return "{\"address\":\"" + address + "\",\"port\":8080" + (lease == null ? "" : ",\"leaseId\":\"" + lease + "\"") + "}";
  }

  private static String batch(String... entries) {
    return "{\"endpoints\":[" + String.join(",", entries) + "]}";
  }

  private static long lease(ApiClient client, String ns) {
    return client.post("/v1/leases", "{\"ttlSeconds\":30,\"namespace\":\"" + ns + "\"}").expect(201)
        .body().path("leaseId").asLong();
  }

  @Test
  void aBatchWritesEveryEndpointInOneRevisionAndTellsCreatedFromReplaced() {
    admin.put("/v1/namespaces/a/services/web/endpoints/old", endpoint("10.1.0.1", null)).expect(201);
    ApiClient.Response r = admin.put(BATCH, batch(entry("web", "old", endpoint("10.1.0.2", null)),
        entry("web", "new", endpoint("10.1.0.3", null)), entry("api", "new", endpoint("10.1.0.4", null)))).expect(200);

    long revision = r.body().path("revision").asLong();
    assertThat(r.body().at("/endpoints/0/created").asBoolean()).as(r.raw()).isFalse();
    assertThat(r.body().at("/endpoints/1/created").asBoolean()).isTrue();
    assertThat(r.body().at("/endpoints/2/service").asText()).isEqualTo("api");
    // Read-your-writes, as after a single PUT: each endpoint as written, all at the batch's revision.
    for (String[] ep : new String[][] {{"web", "old", "10.1.0.2"}, {"web", "new", "10.1.0.3"}, {"api", "new", "10.1.0.4"}}) {
      ApiClient.Response got = admin.get("/v1/namespaces/a/services/" + ep[0] + "/endpoints/" + ep[1]).expect(200);
      assertThat(got.body().path("address").asText()).isEqualTo(ep[2]);
      assertThat(got.etag()).isEqualTo("\"" + revision + "\"");
    }
  }

  @Test
  void anAgentsBatchNeedsALeaseOnEveryEntryAndItsEndpointsLeaveWithTheLease() {
    long lease = lease(agentA, "a");
    agentA.put(BATCH, batch(entry("web", "t1", endpoint("10.2.0.1", lease)), entry("api", "t1", endpoint("10.2.0.1", lease))))
        .expect(200);
    assertThat(admin.get("/v1/namespaces/a/services/api/endpoints/t1").expect(200).body().path("leaseId").asLong())
        .isEqualTo(lease);

    Map<String, String> before = registry.etcdContents();
    ApiClient.Response r = agentA.put(BATCH, batch(entry("web", "t2", endpoint("10.2.0.2", lease)),
        entry("web", "t3", endpoint("10.2.0.3", null)))).expect(400);
    assertThat(r.errorField()).isEqualTo("endpoints[1].endpoint.leaseId");
    assertThat(registry.etcdContents()).isEqualTo(before);

    agentA.delete("/v1/leases/" + lease).expect(204);
    io.tether.registry.testing.Poll.until(java.time.Duration.ofSeconds(5),
        () -> admin.get("/v1/namespaces/a/services/api/endpoints/t1").status() == 404, "t1 still there after the revoke");
  }

  @Test
  void theBatchTakesTheSingleWritesRights() {
    long leaseB = lease(admin, "b");
    long leaseA = lease(agentA, "a");
    Map<String, String> before = registry.etcdContents();
    ApiClient.Response other = agentA.put("/v1/namespaces/b/endpoints", batch(entry("web", "x", endpoint("10.3.0.1", leaseB))));
    assertThat(other.status()).as(other.raw()).isEqualTo(403);
    assertThat(other.errorCode()).isEqualTo("PERMISSION_DENIED");
    ApiClient.Response reader = registry.client(TestRegistry.READER).put(BATCH, batch(entry("web", "x", endpoint("10.3.0.1", null))));
    assertThat(reader.status()).isEqualTo(403);
    ApiClient.Response anonymous = registry.client("no-such-token-0123456789").put(BATCH,
        batch(entry("web", "x", endpoint("10.3.0.1", null))));
    assertThat(anonymous.status()).isEqualTo(401);
    // A lease of another namespace is refused at the entry that names it.
    ApiClient.Response foreign = admin.put(BATCH, batch(entry("web", "x", endpoint("10.3.0.1", leaseA)),
        entry("api", "x", endpoint("10.3.0.2", leaseB))));
    assertThat(foreign.status()).as(foreign.raw()).isEqualTo(403);
    assertThat(foreign.errorField()).isEqualTo("endpoints[1].endpoint.leaseId");
    assertThat(registry.etcdContents()).isEqualTo(before);
  }

  @Test
  void badInputIsA4xxNamingTheEntryAndNothingIsWritten() {
    String good = entry("web", "ok", endpoint("10.4.0.1", null));
    String tooMany = batch(IntStream.range(0, EndpointBatchRoutes.MAX_ENTRIES + 1)
        .mapToObj(i -> entry("web", "e" + i, endpoint("10.4.1.1", null))).toArray(String[]::new));
    Object[][] cases = {
        {batch(), 400, "endpoints"},
        {"{}", 400, "endpoints"},
        {tooMany, 400, "endpoints"},
        {batch(good, entry("web", "-bad-", endpoint("10.4.0.2", null))), 400, "endpoints[1].id"},
        {batch(good, entry("Web", "x", endpoint("10.4.0.2", null))), 400, "endpoints[1].service"},
        {batch(good, entry("web", "x", endpoint("fe80::1", null))), 400, "endpoints[1].endpoint.address"},
        {batch(good, "{\"service\":\"web\",\"id\":\"x\"}"), 400, "endpoints[1].endpoint"},
        {batch(good, entry("web", "x", "{\"address\":\"10.4.0.2\",\"port\":8080,\"colour\":\"red\"}")), 400,
            "endpoints[1].endpoint.colour"},
        {batch(good, good), 400, "endpoints[1].id"},
        {batch(good, entry("nothing", "x", endpoint("10.4.0.2", null))), 404, "endpoints[1].service"},
        {batch(good, entry("web", "x", endpoint("10.4.0.2", 12345L))), 404, "endpoints[1].endpoint.leaseId"},
    };
    Map<String, String> before = registry.etcdContents();
    for (Object[] c : cases) {
      ApiClient.Response r = admin.put(BATCH, (String) c[0]);
      assertThat(r.status()).as("%s -> %s", c[0], r.raw()).isEqualTo(c[1]);
      assertThat(r.errorField()).as("%s -> %s", c[0], r.raw()).isEqualTo(c[2]);
      assertThat(r.body().at("/error/message").asText()).isNotBlank();
    }
    ApiClient.Response conditional = admin.put(BATCH, batch(good), "If-Match", "\"5\"");
    assertThat(conditional.status()).isEqualTo(400);
    assertThat(conditional.errorField()).isEqualTo("If-Match");
    assertThat(registry.etcdContents()).as("nothing written by a refused batch").isEqualTo(before);
  }
}
