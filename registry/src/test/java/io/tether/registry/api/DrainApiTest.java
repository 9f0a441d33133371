package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.RegistryPerClass;
import io.tether.registry.testing.SseStream;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An operator's drain of an endpoint: what the API shows, and that the agent's own writes do not lift it. */
class DrainApiTest {
  private static final String EPS = "/v1/namespaces/a/services/dr/endpoints/";

  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  @BeforeAll
  static void service() {
    registry.api().put("/v1/namespaces/a", "{}");
    registry.api().put("/v1/namespaces/a/services/dr", "{\"portName\":\"http\"}").expect(201);
  }

  @Test
  void aDrainSurvivesTheAgentsHealthReportsAndReRegistrationUntilUndrained() {
    ApiClient admin = registry.api();
    ApiClient agent = admin.as(TestRegistry.AGENT_A);
    String lease = agent.post("/v1/leases", "{\"ttlSeconds\":60,\"namespace\":\"a\"}").expect(201).body()
        .path("leaseId").asText();
    String registration = "{\"address\":\"10.0.0.9\",\"port\":15000,\"health\":\"HEALTHY\",\"leaseId\":\"" + lease + "\"}";
    String etag = agent.put(EPS + "t1", registration).expect(201).etag();

    JsonNode drained = admin.put(EPS + "t1/drain", "{}").expect(200).body();
    assertThat(drained.path("drained").asBoolean()).isTrue();
    assertThat(drained.path("health").asText()).isEqualTo("DRAINING");
    assertThat(drained.path("address").asText()).isEqualTo("10.0.0.9");
    ApiClient.Response get = admin.get(EPS + "t1").expect(200);
    assertThat(get.body().path("drained").asBoolean()).isTrue();
    assertThat(get.etag()).as("a drain does not change the endpoint's own ETag").isEqualTo(etag);

    agent.put(EPS + "t1/health", "{\"health\":\"HEALTHY\"}").expect(200);
    agent.put(EPS + "t1", registration).expect(200);
    JsonNode listed = admin.get(EPS.substring(0, EPS.length() - 1)).expect(200).body().path("items").get(0);
    assertThat(listed.path("drained").asBoolean()).as("after the agent's writes: %s", listed).isTrue();
    assertThat(listed.path("health").asText()).isEqualTo("DRAINING");

    JsonNode undrained = admin.delete(EPS + "t1/drain").expect(200).body();
    assertThat(undrained.has("drained")).as("%s", undrained).isFalse();
    assertThat(undrained.path("health").asText()).as("the agent's health again").isEqualTo("HEALTHY");
  }

  @Test
  void deletingTheEndpointLiftsItsDrain() {
    ApiClient admin = registry.api();
    admin.put(EPS + "t2", "{\"address\":\"10.0.0.2\",\"port\":1}").expect(201);
    admin.put(EPS + "t2/drain", "").expect(200);
    admin.delete(EPS + "t2").expect(204);
    admin.put(EPS + "t2", "{\"address\":\"10.0.0.2\",\"port\":1}").expect(201);
    assertThat(admin.get(EPS + "t2").expect(200).body().has("drained")).isFalse();
  }

  @Test
  void theWatchStreamsADrainAsAnEndpointPutCarryingDrained() {
    ApiClient admin = registry.api();
    admin.put(EPS + "t3", "{\"address\":\"10.0.0.3\",\"port\":1}").expect(201);
    try (SseStream watch = new SseStream(registry.testRegistry().baseUrl() + "/v1/watch?namespace=a", TestRegistry.ADMIN)) {
      watch.next(Duration.ofSeconds(10));
      admin.put(EPS + "t3/drain", "{}").expect(200);
      JsonNode change = watch.nextChange(Duration.ofSeconds(10)).data();
      assertThat(change.path("id").asText()).isEqualTo("t3");
      assertThat(change.path("op").asText()).isEqualTo("put");
      assertThat(change.path("value").path("drained").asBoolean()).isTrue();
      assertThat(change.path("value").path("health").asText()).isEqualTo("DRAINING");
      admin.delete(EPS + "t3/drain").expect(200);
      JsonNode lifted = watch.nextChange(Duration.ofSeconds(10)).data();
      assertThat(lifted.path("value").has("drained")).isFalse();
      assertThat(lifted.path("revision").asLong()).isGreaterThan(change.path("revision").asLong());
    }
  }

  @Test
  void badRequestsAreRefusedWithTheApisErrors() {
    ApiClient admin = registry.api();
    assertThat(admin.put(EPS + "nobody/drain", "{}").expect(404).errorCode()).isEqualTo("NOT_FOUND");
    assertThat(admin.delete(EPS + "nobody/drain").expect(404).errorCode()).isEqualTo("NOT_FOUND");
    assertThat(admin.put(EPS + "-bad-/drain", "{}").expect(400).errorField()).isEqualTo("endpointId");
    admin.put(EPS + "t4", "{\"address\":\"10.0.0.4\",\"port\":1}").expect(201);
    assertThat(admin.put(EPS + "t4/drain", "{\"reason\":1}").expect(400).errorCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(admin.as(TestRegistry.AGENT_A).put(EPS + "t4/drain", "{}").expect(403).errorCode())
        .isEqualTo("PERMISSION_DENIED");
    assertThat(admin.as(TestRegistry.READER).delete(EPS + "t4/drain").expect(403).errorCode())
        .isEqualTo("PERMISSION_DENIED");
  }
}
