package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.relay.RelayHook;
import io.tether.agent.relay.RestRelay;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST relay between task agents (no token) and a real registry, and the answers it gives itself. */
class HostRestRelayTest {
  private static HostControlPlane cp;
  private static RestRelay relay;

  @BeforeAll
  static void start() {
    cp = new HostControlPlane();
    relay = Relays.rest(cp.restUrl(), Relays.LOOPBACK, RelayHook.NONE);
  }

  @AfterAll
  static void stop() {
    relay.close();
    cp.close();
  }

  /** A task agent's view: no token (or a wrong one, which the relay must drop). */
  private static ApiClient task(String token) {
    return new ApiClient(Relays.url(relay), token);
  }

  @Test
  void hostInfoIsAnsweredWithoutAToken() {
    ApiClient.Response r = task(null).get("/tether/host").expect(200);

    assertThat(r.body().path("namespace").asText()).isEqualTo("a");
    assertThat(r.body().path("address").asText()).isEqualTo("10.0.1.17");
    assertThat(r.body().path("xdsPort").asInt()).isEqualTo(15102);
  }

  @Test
  void anEndpointRegisteredThroughTheRelayWithoutATokenIsInTheRegistry() {
    ApiClient tasks = task(null);
    String lease = tasks.post("/v1/leases", "{\"ttlSeconds\":30,\"namespace\":\"a\"}").expect(201)
        .body().path("leaseId").asText();

    tasks.put("/v1/namespaces/a/services/web/endpoints/task-1",
        "{\"address\":\"10.0.1.17\",\"port\":32768,\"leaseId\":\"" + lease + "\"}").expect(201);

    assertThat(cp.endpoint("web", "task-1").path("address").asText()).isEqualTo("10.0.1.17");
    assertThat(cp.endpoint("web", "task-1").path("port").asInt()).isEqualTo(32768);
  }

  /**
   * GET /v1/xds is relayed like every /v1 path: the control plane's xDS address as the host reaches it.
   * A task behind the relay does not need it (its xDS is the ADS relay, /tether/host's xdsPort).
   */
  @Test
  void theAdvertisedXdsAddressIsRelayedToo() {
    ApiClient.Response r = task(null).get("/v1/xds").expect(200);

    assertThat(r.body().path("address").asText()).isEqualTo("127.0.0.1:" + cp.xdsPort());
    assertThat(r.body().path("tls").asBoolean(true)).isFalse();
  }

  @Test
  void theCallersOwnAuthorizationIsDroppedForTheHostsToken() {
    task("not-a-token-of-anyone-0123").get("/v1/namespaces/a/services").expect(200);
  }

  @Test
  void theQueryReachesTheRegistry() {
    ApiClient tasks = task(null);

    assertThat(tasks.get("/v1/namespaces/a/services/web").expect(200).body().has("retryPolicy")).isFalse();
    assertThat(tasks.get("/v1/namespaces/a/services/web?effective=true").expect(200).body().has("retryPolicy")).isTrue();
  }

  @Test
  void preconditionsAndEtagsPassBothWays() {
    ApiClient tasks = task(null);
    String lease = tasks.post("/v1/leases", "{\"ttlSeconds\":30,\"namespace\":\"a\"}").expect(201)
        .body().path("leaseId").asText();
    String path = "/v1/namespaces/a/services/web/endpoints/task-etag";
    String body = "{\"address\":\"10.0.1.17\",\"port\":32770,\"leaseId\":\"" + lease + "\"}";
    tasks.put(path, body).expect(201);
    String etag = tasks.get(path).expect(200).etag();
    assertThat(etag).isNotBlank();

    tasks.put(path, body, "If-Match", "\"1\"").expect(412);
    tasks.put(path, body, "If-Match", etag).expect(200);
  }

  @Test
  void aSourceOutsideAllowedSourcesGets403InTheApisErrorFormat() {
    try (RestRelay strict = Relays.rest(cp.restUrl(), Relays.ELSEWHERE, RelayHook.NONE)) {
      ApiClient.Response r = new ApiClient(Relays.url(strict), null).get("/tether/host").expect(403);

      assertThat(r.errorCode()).isEqualTo("PERMISSION_DENIED");
      assertThat(r.body().path("error").path("message").asText()).contains("allowedSources", "127.0.0.1");
    }
  }

  @Test
  void anUnreachableControlPlaneIs502() {
    try (RestRelay orphan = Relays.rest("http://127.0.0.1:" + Ports.free(), Relays.LOOPBACK, RelayHook.NONE)) {
      ApiClient.Response r = new ApiClient(Relays.url(orphan), null).get("/v1/namespaces/a").expect(502);

      assertThat(r.errorCode()).isEqualTo("UNAVAILABLE");
      assertThat(r.body().path("error").path("message").asText()).contains("unreachable");
    }
  }

  @Test
  void aBodyAboveTheLimitIs413AndAnUnknownRoute404() {
    String big = "{\"address\":\"" + "x".repeat(RestRelay.MAX_BODY) + "\"}";

    assertThat(task(null).put("/v1/namespaces/a/services/web/endpoints/big", big).expect(413).errorCode())
        .isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(task(null).get("/healthz").expect(404).errorCode()).isEqualTo("NOT_FOUND");
    assertThat(task(null).post("/tether/host", "{}").expect(405).errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
  }
}
