package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.relay.RestRelay;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clean-up of tasks ECS no longer runs: endpoints registered through the relay, a stand-in ECS agent
 * serving its documented {@code /v1/tasks}, a real registry, the sweeper reading every 100 ms.
 */
class HostStaleTaskTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static HostControlPlane cp;
  private final HostPorts ports = new HostPorts();
  private EcsAgentStandIn ecs;
  private RestRelay relay;
  private StaleTaskSweeper sweeper;
  private ApiClient tasks;
  private String lease;

  @BeforeAll
  static void startControlPlane() {
    cp = new HostControlPlane();
  }

  @AfterAll
  static void stopControlPlane() {
    cp.close();
  }

  @BeforeEach
  void start() {
    ecs = new EcsAgentStandIn();
    relay = Relays.rest(cp.restUrl(), Relays.LOOPBACK, new HostPortGuard(ports, Relays.deleter(cp)));
    sweeper = StaleTaskSweeper.start(new EcsIntrospection(ecs.url(), Duration.ofSeconds(1)), ports,
        Relays.deleter(cp), Duration.ofMillis(100));
    tasks = new ApiClient(Relays.url(relay), null);
    lease = tasks.post("/v1/leases", "{\"ttlSeconds\":60,\"namespace\":\"a\"}").expect(201).body().path("leaseId").asText();
  }

  @AfterEach
  void stop() {
    sweeper.close();
    relay.close();
    ecs.close();
  }

  private void register(String task, int port) {
    ecs.running(task);
    tasks.put("/v1/namespaces/a/services/web/endpoints/" + task,
        "{\"address\":\"10.0.1.17\",\"port\":" + port + ",\"leaseId\":\"" + lease + "\",\"metadata\":{\"ecsTaskArn\":\"arn:aws:ecs:eu-west-1:1:task/c/" + task + "\"}}").expect(201);
  }

  /** Returns once {@code n} more sweeps have run: what the sweeper decided by then, it decided. */
  private void awaitSweeps(int n) {
    long target = sweeper.sweeps() + n;
    Poll.until(WAIT, () -> sweeper.sweeps() >= target, "sweeps ran");
  }

  @Test
  void aTaskTheEcsAgentNoLongerListsLosesItsEndpoint() {
    register("gone-1", 34001);
    register("kept-1", 34002);
    awaitSweeps(2);

    ecs.forget("gone-1");

    Poll.until(WAIT, () -> cp.endpoint("web", "gone-1") == null, "the endpoint of the task ECS no longer lists is deleted");
    awaitSweeps(2);
    assertThat(cp.endpoint("web", "kept-1")).as("a running task's endpoint").isNotNull();
    assertThat(ports.all()).extracting(h -> h.key().endpointId()).containsExactly("kept-1");
  }

  @Test
  void aStoppedTaskLosesItsEndpoint() {
    register("stopped-1", 34011);

    ecs.stopped("stopped-1");

    Poll.until(WAIT, () -> cp.endpoint("web", "stopped-1") == null, "the endpoint of the STOPPED task is deleted");
  }

  @Test
  void anEndpointWithoutAnEcsTaskArnIsNotRememberedNorSwept() {
    register("gone-3", 34031);
    tasks.put("/v1/namespaces/a/services/web/endpoints/a-tool",
        "{\"address\":\"10.0.1.17\",\"port\":34032,\"leaseId\":\"" + lease + "\"}").expect(201);

    ecs.forget("gone-3"); // and the ECS agent never listed a-tool
    Poll.until(WAIT, () -> cp.endpoint("web", "gone-3") == null, "the forgotten task's endpoint is deleted");
    awaitSweeps(2);

    assertThat(cp.endpoint("web", "a-tool")).as("the tool's endpoint").isNotNull();
    assertThat(ports.all()).isEmpty();
  }

  @Test
  void whileTheEcsAgentIsUnreachableNothingIsDeleted() {
    register("kept-2", 34021);
    ecs.close();
    ecs.forget("kept-2");

    awaitSweeps(3);

    assertThat(cp.endpoint("web", "kept-2")).isNotNull();
    assertThat(ports.all()).hasSize(1);
  }
}
