package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.bootstrap.ServedPort;
import io.tether.agent.metrics.MetricsEndpoint;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the task finds the mesh and how each service is served, per network mode; and what is refused. */
class EcsPlacementTest {
  private static final EcsService PAYMENTS = new EcsService("payments", "app", 8080, 15000);
  private static final HostAgent.HostInfo HOST = new HostAgent.HostInfo("prod", "10.0.1.17", "rack-1", 15102);

  private static EcsSettings settings(HostPort hostAgent, EcsSettings.Direct direct, EcsService... services) {
    return new EcsSettings(URI.create("http://169.254.170.2/v4/x"), "prod", List.of(services), hostAgent, direct, 9901,
        Duration.ofSeconds(5), 10, Duration.ofSeconds(1), new MetricsEndpoint.Settings("127.0.0.1", 0, false));
  }

  @Test
  void aBridgeTaskIsRegisteredAtTheHostsAddressAndDynamicPortAndEnvoyReachesTheAppAtItsContainerIp() {
    Metadata.Task task = Fixtures.task("bridge-task.json");
    Metadata.Container own = task.container("tether-sidecar").orElseThrow();
    EcsSettings settings = settings(null, null, PAYMENTS);

    HostPort hostAgent = Placement.hostAgentAddress(settings, TaskNetworkMode.BRIDGE, () -> Optional.of("172.17.0.1"));
    Placement placement = Placement.viaHostAgent(settings, TaskNetworkMode.BRIDGE, hostAgent, HOST, task);
    List<ServicePlan> plans = ServicePlan.of(settings, TaskNetworkMode.BRIDGE, task, own);

    assertThat(hostAgent).isEqualTo(new HostPort("172.17.0.1", 15101));
    assertThat(placement.address()).isEqualTo("10.0.1.17");
    assertThat(placement.zone()).isEqualTo("rack-1");
    assertThat(placement.restApi()).isEqualTo(URI.create("http://172.17.0.1:15101"));
    assertThat(placement.xds()).as("the host agent's ADS relay").isEqualTo(new HostPort("172.17.0.1", 15102));
    assertThat(placement.restToken()).isNull();
    assertThat(placement.xdsToken()).as("the relay adds it").isNull();
    assertThat(plans).containsExactly(new ServicePlan(PAYMENTS, new ServedPort("payments", 15000, 8080, "172.17.0.3"),
        32768));
    assertThat(ServicePlan.notReady(settings, TaskNetworkMode.BRIDGE, task)).isEmpty();
  }

  @Test
  void aHostTaskFindsItsHostAgentOnTheLoopbackAndIsServedThere() {
    Metadata.Task task = Fixtures.task("host-task.json");
    EcsService ledger = new EcsService("ledger", "ledger", 8080, 15001);
    EcsSettings settings = settings(null, null, ledger);

    HostPort hostAgent = Placement.hostAgentAddress(settings, TaskNetworkMode.HOST, Optional::empty);
    Placement placement = Placement.viaHostAgent(settings, TaskNetworkMode.HOST, hostAgent,
        new HostAgent.HostInfo("prod", "10.0.1.18", null, 15102), task);

    assertThat(hostAgent).isEqualTo(new HostPort("127.0.0.1", 15101));
    assertThat(placement.zone()).as("no zone from the host agent: the metadata's").isEqualTo("eu-west-1b");
    assertThat(ServicePlan.of(settings, TaskNetworkMode.HOST, task, task.container("tether-sidecar").orElseThrow()))
        .containsExactly(new ServicePlan(ledger, new ServedPort("ledger", 15001, 8080), 15001));
    assertThat(ServicePlan.notReady(settings, TaskNetworkMode.HOST, task)).containsExactly("ledger is STOPPED");
  }

  @Test
  void anAwsvpcTaskTalksToTheControlPlaneWithItsTokenAndIsRegisteredAtItsEniAddress() {
    Metadata.Task task = Fixtures.task("awsvpc-task.json");
    EcsSettings.Direct direct = new EcsSettings.Direct(URI.create("http://tether.internal:8700"),
        new HostPort("tether.internal", 18000), "tok");
    EcsSettings settings = settings(null, direct, PAYMENTS);

    Placement placement = Placement.direct(settings, task.container("tether-sidecar").orElseThrow(), task);

    assertThat(placement.address()).isEqualTo("10.0.2.100");
    assertThat(placement.zone()).isEqualTo("eu-west-1a");
    assertThat(placement.xdsToken()).isEqualTo("tok");
    assertThat(placement.toString()).doesNotContain("tok");
    assertThat(ServicePlan.notReady(settings, TaskNetworkMode.AWSVPC, task)).containsExactly("app is CREATED");
  }

  @Test
  void whatCannotWorkIsRefusedSayingWhatToChange() {
    Metadata.Task bridge = Fixtures.task("bridge-task.json");
    Metadata.Container own = bridge.container("tether-sidecar").orElseThrow();
    EcsSettings.Direct direct = new EcsSettings.Direct(URI.create("http://cp:8700"), new HostPort("cp", 18000), "t");

    assertThatThrownBy(() -> Placement.viaHostAgent(settings(null, null, PAYMENTS), TaskNetworkMode.BRIDGE,
        new HostPort("172.17.0.1", 15101), new HostAgent.HostInfo("staging", "10.0.1.17", null, 15102), bridge))
        .isInstanceOf(TaskConfigException.class)
        .hasMessageContaining("the host agent at 172.17.0.1:15101 serves namespace 'staging', not TETHER_NAMESPACE 'prod'");
    assertThatThrownBy(() -> Placement.hostAgentAddress(settings(null, null, PAYMENTS), TaskNetworkMode.BRIDGE,
        Optional::empty)).hasMessageContaining("no default route").hasMessageContaining("set TETHER_HOST_AGENT");
    assertThatThrownBy(() -> Placement.hostAgentAddress(settings(null, direct, PAYMENTS), TaskNetworkMode.BRIDGE,
        Optional::empty)).hasMessageContaining("TETHER_SERVER (or TETHER_CONTROL_PLANE) is for awsvpc tasks");
    assertThatThrownBy(() -> Placement.direct(settings(null, null, PAYMENTS), own, bridge))
        .hasMessageContaining("an awsvpc task reaches no host agent: set TETHER_SERVER");
    assertThatThrownBy(() -> ServicePlan.of(settings(null, null, new EcsService("payments", "app", 8080, 15001)),
        TaskNetworkMode.BRIDGE, bridge, own))
        .hasMessageContaining("container tether-sidecar has no port mapping of containerPort 15001");
    assertThatThrownBy(() -> ServicePlan.of(settings(null, null, PAYMENTS, new EcsService("refunds", "app", 8080, 15001)),
        TaskNetworkMode.BRIDGE, bridge, own)).hasMessageContaining("cannot share appPort 8080");
    assertThatThrownBy(() -> ServicePlan.notReady(settings(null, null, new EcsService("payments", "api", 8080, 15000)),
        TaskNetworkMode.BRIDGE, bridge)).isInstanceOf(TaskConfigException.class)
        .hasMessageContaining("names container 'api', which this task does not have (it has app, tether-sidecar)");
    assertThatThrownBy(() -> TaskNetworkMode.of(new Metadata.Container("c", null, "RUNNING", null, null, null,
        List.of(new Metadata.Network("my-net", List.of("10.9.0.2"))), null)))
        .hasMessageContaining("network mode 'my-net' of container c is not supported");
  }
}
