package io.tether.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.options.GetOption;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import io.tether.registry.view.RegistryState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Agent leases end-to-end: REST API, etcd lease expiry and revocation, and the registry view. */
class LeaseExpiryTest {
  private static final long TTL_MS = 2_000;

  private static TestRegistry reg;
  private static ApiClient admin;
  private static ApiClient agent;

  @BeforeAll
  static void start() {
    reg = new TestRegistry(TestEtcd.shared().clientUrl());
    admin = reg.admin();
    agent = reg.client(TestRegistry.AGENT_A);
    assertThat(admin.put("/v1/namespaces/a", "{}").status()).isEqualTo(201);
    for (String svc : List.of("keep", "revoke")) {
      ApiClient.Response r = admin.put("/v1/namespaces/a/services/" + svc, "{\"portName\":\"http\"}");
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    reg.close();
  }

  @Test
  void keptAliveLeaseHoldsEndpointsPastItsTtlAndExpiredLeaseRemovesThemWithinTtlPlusOneSecond() {
    long lease = grantLease(2);
    registerEndpoint("keep", "t1", "10.0.0.1", lease);
    registerEndpoint("keep", "t2", "10.0.0.2", lease);
    assertThat(apiEndpointIds("keep")).containsExactly("t1", "t2");
    assertThat(viewEndpointIds("keep")).containsExactly("t1", "t2");

    // Keep the lease alive every 500 ms for 3 s (1.5 TTLs), checking the endpoints stay all along.
    long start = System.nanoTime();
    long[] lastKeepalive = {start};
    int[] keepalives = {0};
    Poll.until(Duration.ofSeconds(10), () -> {
      if (System.nanoTime() - lastKeepalive[0] >= TimeUnit.MILLISECONDS.toNanos(500)) {
        lastKeepalive[0] = System.nanoTime();
        keepAlive(lease);
        keepalives[0]++;
        assertThat(apiEndpointIds("keep")).as("endpoints while the lease is kept alive").containsExactly("t1", "t2");
      }
      assertThat(viewEndpointIds("keep")).as("view while the lease is kept alive").containsExactly("t1", "t2");
      return System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(3_000);
    }, "keep-alive loop");
    assertThat(keepalives[0]).isGreaterThanOrEqualTo(5);

    long lastSent = System.nanoTime();
    keepAlive(lease);
    assertThat(apiEndpointIds("keep")).as("endpoints after > 1 TTL of keep-alives").containsExactly("t1", "t2");

    Poll.until(Duration.ofMillis(TTL_MS + 3_000),
        () -> apiEndpointIds("keep").isEmpty() && viewEndpointIds("keep").isEmpty(),
        () -> "endpoints of the expired lease: api=" + apiEndpointIds("keep") + " view=" + viewEndpointIds("keep"));
    long goneAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSent);
    assertThat(goneAfterMs).as("ms from the last keep-alive until the endpoints vanished")
        .isBetween(TTL_MS - 500, TTL_MS + 1_000);

    ApiClient.Response late = agent.post("/v1/leases/" + lease + "/keepalive", "");
    assertThat(late.status()).as(late.toString()).isEqualTo(404);
    assertThat(late.errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  void revokingLeaseRemovesItsEndpointsAtOnceAndLeavesOthers() throws Exception {
    long lease = grantLease(30);
    registerEndpoint("revoke", "r1", "10.0.1.1", lease);
    registerEndpoint("revoke", "r2", "10.0.1.2", lease);
    ApiClient.Response permanent = admin.put("/v1/namespaces/a/services/revoke/endpoints/static",
        "{\"address\":\"10.0.1.9\",\"port\":15000}");
    assertThat(permanent.status()).as(permanent.toString()).isEqualTo(201);
    assertThat(apiEndpointIds("revoke")).containsExactly("r1", "r2", "static");

    ApiClient.Response revoked = agent.delete("/v1/leases/" + lease);
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);

    Poll.until(Duration.ofSeconds(1),
        () -> apiEndpointIds("revoke").equals(List.of("static")) && viewEndpointIds("revoke").equals(List.of("static")),
        () -> "after revoke: api=" + apiEndpointIds("revoke") + " view=" + viewEndpointIds("revoke"));
    long leaseRecords = reg.server().etcdClient().getKVClient()
        .get(reg.keys().leaseRecords(lease), GetOption.builder().isPrefix(true).withCountOnly(true).build())
        .get(5, TimeUnit.SECONDS).getCount();
    assertThat(leaseRecords).as("leases/{id}/{ns} record after revoke").isZero();
    assertThat(agent.post("/v1/leases/" + lease + "/keepalive", "").status()).isEqualTo(404);
  }

  private static long grantLease(int ttlSeconds) {
    ApiClient.Response r = agent.post("/v1/leases", "{\"ttlSeconds\":" + ttlSeconds + ",\"namespace\":\"a\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.body().path("ttlSeconds").asLong()).isEqualTo(ttlSeconds);
    return r.body().path("leaseId").asLong();
  }

  private static void keepAlive(long lease) {
    ApiClient.Response r = agent.post("/v1/leases/" + lease + "/keepalive", "");
    assertThat(r.status()).as("keepalive: " + r).isEqualTo(200);
    assertThat(r.body().path("ttlSeconds").asLong()).isEqualTo(TTL_MS / 1000);
  }

  private static void registerEndpoint(String svc, String id, String address, long lease) {
    ApiClient.Response r = agent.put("/v1/namespaces/a/services/" + svc + "/endpoints/" + id,
        "{\"address\":\"" + address + "\",\"port\":15000,\"leaseId\":" + lease + "}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private static List<String> apiEndpointIds(String svc) {
    ApiClient.Response r = agent.get("/v1/namespaces/a/services/" + svc + "/endpoints");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode item : r.body().path("items")) {
      ids.add(item.path("id").asText());
    }
    return ids;
  }

  private static List<String> viewEndpointIds(String svc) {
    RegistryState s = reg.server().view().current();
    return s.endpoints("a", svc).keySet().stream().sorted().toList();
  }
}
