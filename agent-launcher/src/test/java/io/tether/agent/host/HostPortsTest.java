package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The relay's memory of host ports, the routes it follows, and the ECS agent's answer as it is read. */
class HostPortsTest {
  private static final HostPorts.Key WEB_1 = new HostPorts.Key("a", "web", "task-1");
  private static final HostPorts.Key API_2 = new HostPorts.Key("a", "api", "task-2");

  @Test
  void holdersAreOtherTasksOnTheSameAddressAndPort() {
    HostPorts ports = new HostPorts();
    ports.remember(WEB_1, "10.0.1.17", 32768, 7L);
    ports.remember(API_2, "10.0.1.17", 32769, 7L);

    assertThat(ports.holdersOf("10.0.1.17", 32768, "task-9")).extracting(HostPorts.Held::key).containsExactly(WEB_1);
    assertThat(ports.holdersOf("10.0.1.17", 32768, "task-1")).as("a task does not hold its own way").isEmpty();
    assertThat(ports.holdersOf("10.0.1.18", 32768, "task-9")).isEmpty();
  }

  @Test
  void aJudgementReadBeforeARegistrationDoesNotForgetIt() {
    HostPorts ports = new HostPorts();
    HostPorts.Held old = ports.remember(WEB_1, "10.0.1.17", 32768, null);
    long seen = ports.generation();
    ports.remember(WEB_1, "10.0.1.17", 32768, null); // registered again meanwhile

    assertThat(ports.rememberedUpTo(seen)).isEmpty();
    ports.forget(old);
    assertThat(ports.all()).hasSize(1);
  }

  @Test
  void aRevokedLeaseForgetsOnlyItsOwn() {
    HostPorts ports = new HostPorts();
    ports.remember(WEB_1, "10.0.1.17", 1, 7L);
    ports.remember(API_2, "10.0.1.17", 2, 8L);

    ports.forgetLease(7);

    assertThat(ports.all()).extracting(HostPorts.Held::key).containsExactly(API_2);
  }

  @Test
  void theRoutesAreTheRegistrysEndpointAndLeasePaths() {
    assertThat(EndpointPaths.endpoint("/v1/namespaces/a/services/web/endpoints/task-1")).contains(WEB_1);
    assertThat(EndpointPaths.endpoint("/v1/namespaces/a/services/web/endpoints/task-1/health")).isEmpty();
    assertThat(EndpointPaths.endpoint("/v1/namespaces/a/services/web/endpoints")).isEmpty();
    assertThat(EndpointPaths.lease("/v1/leases/694d7a3b12c0d5a1")).isEmpty();
    assertThat(EndpointPaths.lease("/v1/leases/7587867890").getAsLong()).isEqualTo(7587867890L);
    assertThat(EndpointPaths.lease("/v1/leases/7/keepalive")).isEmpty();
  }

  @Test
  void theEcsAgentsTasksAreReadByTaskIdWithTheirKnownStatus() throws Exception {
    JsonNode answer = Json.MAPPER.readTree("{\"Tasks\":[{\"Arn\":\"arn:aws:ecs:eu-west-1:012345678910:task/default/"
        + "0f9e1ab2\",\"DesiredStatus\":\"RUNNING\",\"KnownStatus\":\"RUNNING\",\"Family\":\"web\",\"Version\":\"3\","
        + "\"Containers\":[{\"DockerId\":\"e6af\",\"DockerName\":\"ecs-web-3-app\",\"Name\":\"app\",\"Ports\":[]}],"
        + "\"NewField\":1},{\"Arn\":\"arn:aws:ecs:us-west-2:012345678910:task/5b1c\",\"KnownStatus\":\"STOPPED\","
        + "\"Family\":\"api\",\"Version\":\"1\",\"Containers\":[]}]}");

    assertThat(EcsIntrospection.taskStatuses(answer)).isEqualTo(Map.of("0f9e1ab2", "RUNNING", "5b1c", "STOPPED"));
    assertThat(EcsIntrospection.taskStatuses(Json.MAPPER.readTree("{\"Tasks\":null}"))).as("Go's nil slice").isEmpty();
  }
}
