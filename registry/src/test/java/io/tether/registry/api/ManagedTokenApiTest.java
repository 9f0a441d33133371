package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Managed tokens over the REST API against real etcd (docs/security.md, "Tokens"): minted once, used,
 * listed without secret or digest, revoked (401 at once), expired; refusals that write nothing; and two
 * replicas on one etcd, where a token minted on one works on the other within a second.
 */
class ManagedTokenApiTest {
  private static TestRegistry registry;
  private static TestRegistry peer;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    String prefix = TestEtcd.uniquePrefix();
    registry = new TestRegistry(List.of(TestEtcd.shared().clientUrl()), prefix);
    peer = new TestRegistry(List.of(TestEtcd.shared().clientUrl()), prefix);
    admin = registry.admin();
    admin.put("/v1/namespaces/a", "{}").expect(201);
  }

  @AfterAll
  static void stop() {
    for (TestRegistry r : new TestRegistry[] {peer, registry}) {
      if (r != null) {
        r.close();
      }
    }
  }

  @Test
  void aMintedAgentTokenWorksUntilRevokedThenIs401AtOnce() {
    JsonNode minted = admin.post("/v1/tokens", "{\"role\":\"agent\",\"namespace\":\"a\",\"name\":\"ci-agent\"}")
        .expect(201).body();
    String token = minted.path("token").asText();
    String id = minted.path("id").asText();
    assertThat(token).startsWith(TokenAuthenticator.MANAGED_PREFIX).hasSizeGreaterThanOrEqualTo(7 + 43);
    assertThat(minted.path("role").asText()).isEqualTo("agent");
    assertThat(minted.path("namespace").asText()).isEqualTo("a");
    assertThat(minted.path("name").asText()).isEqualTo("ci-agent");

    ApiClient agent = registry.client(token);
    agent.get("/v1/namespaces/a").expect(200);
    agent.get("/v1/namespaces/b").expect(403); // an agent of a, nothing more
    agent.post("/v1/tokens", "{\"role\":\"reader\"}").expect(403); // only admins mint

    admin.delete("/v1/tokens/" + id).expect(204);
    ApiClient.Response refused = agent.get("/v1/namespaces/a");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
    admin.get("/v1/tokens/" + id).expect(404);
    admin.delete("/v1/tokens/" + id).expect(404);
  }

  @Test
  void listingsNeverShowTheSecretOrItsDigest() {
    JsonNode minted = admin.post("/v1/tokens", "{\"role\":\"reader\"}").expect(201).body();
    String token = minted.path("token").asText();
    String digest = TokenAuthenticator.digest(token);
    String id = minted.path("id").asText();
    ApiClient.Response list = admin.get("/v1/tokens").expect(200);
    ApiClient.Response one = admin.get("/v1/tokens/" + id).expect(200);
    for (ApiClient.Response r : List.of(list, one)) {
      assertThat(r.raw()).contains(id).doesNotContain(token).doesNotContain(digest).doesNotContain("sha256");
    }
    assertThat(one.body().path("state").asText()).isEqualTo("active");
    assertThat(one.body().path("name").asText()).isEqualTo("reader-" + id);
    assertThat(one.body().has("token")).isFalse();
    registry.client(token).get("/v1/tokens").expect(403); // a reader may not list tokens
    registry.client(token).get("/v1/namespaces").expect(200);
  }

  @Test
  void anExpiredTokenIsRefusedAndListedAsExpired() {
    JsonNode minted = admin.post("/v1/tokens", "{\"role\":\"reader\",\"ttlSeconds\":1}").expect(201).body();
    ApiClient reader = registry.client(minted.path("token").asText());
    reader.get("/v1/namespaces").expect(200);
    Poll.until(Duration.ofSeconds(5), () -> reader.get("/v1/namespaces").status() == 401, "expired token refused");
    assertThat(admin.get("/v1/tokens/" + minted.path("id").asText()).expect(200).body().path("state").asText())
        .isEqualTo("expired");
    assertThat(registry.server().meters().scrape())
        .containsPattern("tether_tokens\\{role=\"reader\",state=\"expired\"} [1-9]");
  }

  @Test
  void aTokenMintedOnOneReplicaWorksOnAnotherWithinASecondAndItsRevocationToo() {
    JsonNode minted = admin.post("/v1/tokens", "{\"role\":\"agent\",\"namespace\":\"a\"}").expect(201).body();
    ApiClient onPeer = peer.client(minted.path("token").asText());
    Poll.until(Duration.ofSeconds(1), () -> onPeer.get("/v1/namespaces/a").status() == 200, "token works on the peer");
    admin.delete("/v1/tokens/" + minted.path("id").asText()).expect(204);
    Poll.until(Duration.ofSeconds(1), () -> onPeer.get("/v1/namespaces/a").status() == 401, "revoked on the peer");
  }

  @Test
  void badRequestsAre400AndWriteNothing() {
    Map<String, String[]> cases = Map.of(
        "{\"role\":\"owner\"}", new String[] {"role", "role must be agent or reader, not 'owner'"},
        "{\"role\":\"admin\"}", new String[] {"role", "managed tokens are agent or reader tokens"},
        "{}", new String[] {"role", "role is required"},
        "{\"role\":\"agent\"}", new String[] {"namespace", "agent tokens need the namespace"},
        "{\"role\":\"reader\",\"namespace\":\"a\"}", new String[] {"namespace", "reader tokens read every namespace"},
        "{\"role\":\"agent\",\"namespace\":\"Not_A_Label\"}", new String[] {"namespace", "must be a DNS label"},
        "{\"role\":\"reader\",\"ttlSeconds\":0}", new String[] {"ttlSeconds", "ttlSeconds must be between 1"},
        "{\"role\":\"reader\",\"name\":\"has space\"}", new String[] {"name", "name must be 1 to 63"},
        "{\"role\":\"agent\",\"namespce\":\"a\"}", new String[] {"namespce", "did you mean 'namespace'?"});
    Map<String, String> before = registry.etcdContents();
    cases.forEach((body, expected) -> {
      ApiClient.Response r = admin.post("/v1/tokens", body);
      assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
      assertThat(r.errorField()).as(body).isEqualTo(expected[0]);
      assertThat(r.body().path("error").path("message").asText()).as(body).contains(expected[1]);
    });
    ApiClient.Response badId = admin.get("/v1/tokens/NOT-AN-ID");
    assertThat(badId.status()).as(badId.toString()).isEqualTo(400);
    assertThat(registry.etcdContents()).isEqualTo(before);
  }
}
