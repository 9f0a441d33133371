package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.registry.testing.TestRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An awsvpc task without TETHER_XDS: once its apps run, start-up asks the real control plane
 * ({@code GET /v1/xds}) with the task's token; one that refuses stops the task naming TETHER_XDS.
 */
class EcsAdvertisedXdsTest {
  @RegisterExtension
  static final EcsMesh mesh = new EcsMesh();
  private static final EcsService PAYMENTS = new EcsService("payments", "app", 8080, 15000);

  private MetadataStandIn metadata;

  @BeforeEach
  void start() throws java.io.IOException {
    metadata = new MetadataStandIn("awsvpc-task.json", "tether-sidecar");
    metadata.network("awsvpc", "127.0.0.1");
    metadata.ports("tether-sidecar", 15000);
    metadata.containerStatus("app", "RUNNING");
  }

  @AfterEach
  void stop() {
    metadata.close();
  }

  private TaskDiscovery discovery(String token, HostPort xds) {
    EcsSettings settings = new EcsSettings(URI.create(metadata.uri()), "a", List.of(PAYMENTS), null,
        new EcsSettings.Direct(URI.create(mesh.restApi()), xds, token), 9901, Duration.ofSeconds(5), 10,
        Duration.ofMillis(100), new MetricsEndpoint.Settings("127.0.0.1", 0, false));
    return new TaskDiscovery(settings, new TaskMetadata(settings.metadataUri()), Duration.ofSeconds(2));
  }

  @Test
  void withoutTetherXdsTheTaskUsesWhatTheControlPlaneAdvertises() throws Exception {
    Placement placement = discovery(TestRegistry.AGENT_A, null).discover().orElseThrow().placement();

    assertThat(placement.xds()).hasToString(mesh.xds());
    assertThat(placement.xdsToken()).as("awsvpc: the task's own token").isEqualTo(TestRegistry.AGENT_A);
  }

  @Test
  void aGivenTetherXdsIsTakenAsItIs() throws Exception {
    Placement placement = discovery("not-asked-so-not-checked", new HostPort("xds.internal", 18443)).discover()
        .orElseThrow().placement();

    assertThat(placement.xds()).isEqualTo(new HostPort("xds.internal", 18443));
  }

  @Test
  void aControlPlaneThatRefusesTheTokenStopsTheTaskNamingTetherXds() {
    assertThatThrownBy(() -> discovery("not-a-token-of-anyone-0123", null).discover())
        .isInstanceOf(TaskConfigException.class)
        .hasMessageStartingWith("cannot learn the xDS address from " + mesh.restApi() + "/v1/xds (HTTP 401")
        .hasMessageEndingWith(": set TETHER_XDS=HOST:PORT");
  }
}
