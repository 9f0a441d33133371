package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lease ids are int64 and exceed 2^53, so the API writes them as strings (as etcd's JSON gateway
 * does) and reads strings and numbers alike; a client that parses JSON numbers as doubles keeps
 * them exact.
 */
class LeaseIdTest {
  private static TestRegistry registry;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    api = registry.admin();
    api.put("/v1/namespaces/a", "{}").expect(201);
    api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\"}").expect(201);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  @Test
  void leaseIdsAreWrittenAsStringsAndReadAsEither() {
    ApiClient.Response grant = api.post("/v1/leases", "{\"ttlSeconds\":30,\"namespace\":\"a\"}").expect(201);
    assertThat(grant.body().path("leaseId").isTextual()).as(grant.raw()).isTrue();
    String id = grant.body().path("leaseId").asText();
    assertThat(id).matches("[1-9][0-9]*");

    api.put("/v1/namespaces/a/services/web/endpoints/as-string",
        "{\"address\":\"10.0.0.1\",\"port\":1,\"leaseId\":\"" + id + "\"}").expect(201);
    api.put("/v1/namespaces/a/services/web/endpoints/as-number",
        "{\"address\":\"10.0.0.2\",\"port\":1,\"leaseId\":" + id + "}").expect(201);
    for (String ep : new String[] {"as-string", "as-number"}) {
      ApiClient.Response got = api.get("/v1/namespaces/a/services/web/endpoints/" + ep).expect(200);
      assertThat(got.body().path("leaseId").isTextual()).isTrue();
      assertThat(got.body().path("leaseId").asText()).isEqualTo(id);
    }
    ApiClient.Response renewed = api.post("/v1/leases/" + id + "/keepalive", null).expect(200);
    assertThat(renewed.body().path("leaseId").asText()).isEqualTo(id);
    assertThat(api.get("/v1/namespaces/a/services/web/endpoints").body().at("/items/0/leaseId").isTextual()).isTrue();
  }

  @Test
  void aLeaseIdThatIsNoInt64IsRefused() {
    for (String bad : new String[] {"\"abc\"", "\"-5\"", "\"99999999999999999999\"", "\"1e3\"", "1.5"}) {
      ApiClient.Response r = api.put("/v1/namespaces/a/services/web/endpoints/bad",
          "{\"address\":\"10.0.0.3\",\"port\":1,\"leaseId\":" + bad + "}");
      assertThat(r.status()).as(bad + ": " + r.raw()).isEqualTo(400);
      assertThat(r.errorField()).isEqualTo("leaseId");
    }
  }
}
