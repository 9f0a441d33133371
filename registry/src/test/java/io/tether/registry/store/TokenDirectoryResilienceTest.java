package io.tether.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica keeps following the managed tokens across an etcd restart (its watch fails and is re-listed):
 * a token revoked on another replica after the restart is refused on it within a second.
 */
class TokenDirectoryResilienceTest {
  @Test
  void aRevocationAfterAnEtcdRestartReachesTheOtherReplica() {
    try (LocalEtcd etcd = TestEtcd.dedicated()) {
      String prefix = TestEtcd.uniquePrefix();
      try (TestRegistry a = new TestRegistry(List.of(etcd.clientUrl()), prefix);
          TestRegistry b = new TestRegistry(List.of(etcd.clientUrl()), prefix)) {
        JsonNode minted = a.admin().post("/v1/tokens", "{\"role\":\"reader\"}").expect(201).body();
        ApiClient onB = b.client(minted.path("token").asText());
        Poll.until(Duration.ofSeconds(1), () -> onB.get("/v1/namespaces").status() == 200, "token works on b");

        etcd.kill();
        etcd.start().awaitHealthy(Duration.ofSeconds(20));
        assertThat(onB.get("/v1/namespaces").status()).as("still known while etcd was away").isEqualTo(200);

        String path = "/v1/tokens/" + minted.path("id").asText();
        Poll.until(Duration.ofSeconds(20), () -> a.admin().delete(path).status() == 204, "revoked once etcd is back");
        Poll.until(Duration.ofSeconds(1), () -> onB.get("/v1/namespaces").status() == 401, "revoked on b");
      }
    }
  }
}
