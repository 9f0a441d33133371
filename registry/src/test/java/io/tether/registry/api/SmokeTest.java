package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void namespaceServiceEndpointRoundTrip() {
    try (TestRegistry reg = new TestRegistry(TestEtcd.shared().clientUrl())) {
      ApiClient api = reg.admin();
      assertThat(api.put("/v1/namespaces/prod", "{\"description\":\"p\"}").status()).isEqualTo(201);
      ApiClient.Response svc = api.put("/v1/namespaces/prod/services/payments",
          "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"payments\",\"port\":8080}]}");
      assertThat(svc.status()).as(svc.toString()).isEqualTo(201);
      ApiClient.Response list = api.get("/v1/namespaces/prod/services");
      assertThat(list.body().path("items").get(0).path("clientAliases").get(0).path("vip").asText()).startsWith("127.255.");
      ApiClient.Response ep = api.put("/v1/namespaces/prod/services/payments/endpoints/t1",
          "{\"address\":\"10.0.0.1\",\"port\":15000}");
      assertThat(ep.status()).as(ep.toString()).isEqualTo(201);
      assertThat(api.get("/v1/namespaces/prod/services/payments/endpoints").body().path("items")).hasSize(1);
    }
  }
}
