package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.relay.RestRelay;
import io.tether.registry.testing.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One endpoint per host port: tasks register through the relay, in front of a real registry, and a
 * task registering an address:port another task's endpoint holds takes it over.
 */
class HostPortEvictionTest {
  private static HostControlPlane cp;
  private static int nextPort = 33000;
  private HostPorts ports;
  private RestRelay relay;
  private ApiClient tasks;
  private String lease;

  @BeforeAll
  static void startControlPlane() {
    cp = new HostControlPlane();
    cp.service("api", cp.aliasPort + 1);
  }

  @AfterAll
  static void stopControlPlane() {
    cp.close();
  }

  @BeforeEach
  void startRelay() {
    ports = new HostPorts();
    relay = Relays.rest(cp.restUrl(), Relays.LOOPBACK, new HostPortGuard(ports, Relays.deleter(cp)));
    tasks = new ApiClient(Relays.url(relay), null);
    lease = tasks.post("/v1/leases", "{\"ttlSeconds\":60,\"namespace\":\"a\"}").expect(201).body().path("leaseId").asText();
  }

  @org.junit.jupiter.api.AfterEach
  void stopRelay() {
    relay.close();
  }

  private ApiClient.Response register(String service, String task, int port) {
    return tasks.put("/v1/namespaces/a/services/" + service + "/endpoints/" + task,
        "{\"address\":\"10.0.1.17\",\"port\":" + port + ",\"leaseId\":\"" + lease + "\",\"metadata\":{\"ecsTaskArn\":\"arn:aws:ecs:eu-west-1:1:task/c/" + task + "\"}}");
  }

  private static synchronized int hostPort() {
    return nextPort++;
  }

  @Test
  void aSecondTaskOnTheSameHostPortDeletesTheFirstsEndpoint() {
    int port = hostPort();
    register("web", "task-old", port).expect(201);

    register("web", "task-new", port).expect(201);

    assertThat(cp.endpoint("web", "task-old")).as("the stale task's endpoint").isNull();
    assertThat(cp.endpoint("web", "task-new").path("port").asInt()).isEqualTo(port);
    assertThat(ports.all()).extracting(h -> h.key().endpointId()).containsExactly("task-new");
  }

  @Test
  void theHostPortIsHostWideAcrossServices() {
    int port = hostPort();
    register("web", "task-old", port).expect(201);

    register("api", "task-new", port).expect(201);

    assertThat(cp.endpoint("web", "task-old")).isNull();
    assertThat(cp.endpoint("api", "task-new")).isNotNull();
  }

  @Test
  void aTaskRegisteringAgainKeepsItsEndpointAndOthersKeepTheirPorts() {
    int port = hostPort();
    int other = hostPort();
    register("web", "task-1", port).expect(201);
    register("web", "task-2", other).expect(201);

    register("web", "task-1", port).expect(200);

    assertThat(cp.endpoint("web", "task-1")).isNotNull();
    assertThat(cp.endpoint("web", "task-2")).isNotNull();
  }

  @Test
  void anEndpointDeletedThroughTheRelayIsForgotten() {
    int port = hostPort();
    register("web", "task-gone", port).expect(201);

    tasks.delete("/v1/namespaces/a/services/web/endpoints/task-gone").expect(204);

    assertThat(ports.all()).isEmpty();
  }

  @Test
  void aRevokedLeaseForgetsItsEndpoints() {
    register("web", "task-leased", hostPort()).expect(201);

    tasks.delete("/v1/leases/" + lease).expect(204);

    assertThat(ports.all()).isEmpty();
    assertThat(cp.endpoint("web", "task-leased")).isNull();
  }

  @Test
  void aRegistrationTheRegistryRefusesIsNotRemembered() {
    tasks.put("/v1/namespaces/a/services/web/endpoints/task-bad", "{\"address\":\"10.0.1.17\",\"port\":0,\"leaseId\":\""
        + lease + "\"}").expect(400);

    assertThat(ports.all()).isEmpty();
  }
}
