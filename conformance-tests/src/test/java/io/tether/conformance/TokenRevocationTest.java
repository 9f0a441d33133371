package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Managed tokens across two replicas on one etcd, with grpc-java ADS streams (docs/security.md,
 * "Tokens"): a token minted on replica 1 opens a stream on replica 2; its revocation on replica 1 ends
 * that stream with UNAUTHENTICATED within a second and refuses the reconnect, while a stream of another
 * token goes on being served; an expiring token's stream ends at its expiry.
 */
class TokenRevocationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration WITHIN = Duration.ofSeconds(1);

  @RegisterExtension
  static final TwoReplicas replicas = new TwoReplicas();

  @Test
  void aRevocationOnOneReplicaEndsTheTokensStreamOnTheOtherAndRefusesItsReconnect() throws Exception {
    Mesh mesh = replicas.mesh();
    mesh.service("a", "payments", 8080, "");
    String[] minted = mint(mesh.api, "{\"role\":\"agent\",\"namespace\":\"a\"}");
    int xdsOfSecond = replicas.second().xds().port();
    ApiClient onSecond = new ApiClient("http://127.0.0.1:" + replicas.second().registry().apiPort(), minted[1]);
    long seen = Poll.until(WITHIN, () -> onSecond.get("/v1/namespaces/a").status() == 200, "minted token works on replica 2");

    try (AdsProbe revoked = probe(xdsOfSecond, minted[1]); AdsProbe other = probe(xdsOfSecond, Mesh.AGENT_A)) {
      revoked.next(AdsProbe.CDS, WAIT);
      DiscoveryResponse before = other.next(AdsProbe.CDS, WAIT);
      other.ack(before, List.of());

      long start = System.nanoTime();
      mesh.api.delete("/v1/tokens/" + minted[0]).expect(204);
      Status status = revoked.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      long closedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(closedMs).as("stream on replica 2 ended after the revocation on replica 1 (ms)").isLessThan(1000);
      System.out.printf("token seen on replica 2 after %d ms; its stream there ended %d ms after the revocation%n",
          seen, closedMs);

      mesh.service("a", "orders", 8081, ""); // the other token's stream is still served: it gets the change
      assertThat(other.next(AdsProbe.CDS, WAIT).getVersionInfo()).isNotEqualTo(before.getVersionInfo());
      assertThat(other.closed).isNotDone();
    }
    try (AdsProbe reconnect = probe(xdsOfSecond, minted[1])) {
      Status status = reconnect.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void anExpiringTokensStreamEndsAtItsExpiry() throws Exception {
    Mesh mesh = replicas.mesh();
    mesh.service("a", "payments", 8080, "");
    String[] minted = mint(mesh.api, "{\"role\":\"agent\",\"namespace\":\"a\",\"ttlSeconds\":2}");
    try (AdsProbe probe = probe(mesh.xdsPort(), minted[1])) {
      probe.next(AdsProbe.CDS, WAIT);
      Status status = probe.closed.get(5, TimeUnit.SECONDS);
      assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  /** Mints a token on the API given; returns its id and its secret. */
  private static String[] mint(ApiClient api, String body) {
    JsonNode minted = api.post("/v1/tokens", body).expect(201).body();
    return new String[] {minted.path("id").asText(), minted.path("token").asText()};
  }

  /** A SotW stream of an Envoy-like node of namespace a, subscribed to clusters. */
  private static AdsProbe probe(int port, String token) {
    AdsProbe probe = new AdsProbe(port, token,
        XdsMessages.node("revocation-" + UUID.randomUUID(), AdsProbe.ENVOY, XdsMessages.metadata("a")));
    probe.subscribe(AdsProbe.CDS, List.of());
    return probe;
  }
}
