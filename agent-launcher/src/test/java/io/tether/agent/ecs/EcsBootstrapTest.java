package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.tether.agent.Golden;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.xds.render.PgvChecker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap of a task's sidecar Envoy: server-only with ADS to the host agent's relay and no
 * authorization of its own (bridge, host); or serving the aliases too, with ADS to the control plane and
 * the token (awsvpc, where the apps share its loopback and no host agent serves them). The golden
 * file is also given to a real Envoy by {@code EnvoyAcceptsBootstrapsTest} (every {@code *.bootstrap.json}).
 */
class EcsBootstrapTest {
  private static final PgvChecker CHECKER = new PgvChecker(TypeRegistry.newBuilder().add(EnvoyBootstrap.PACKED_TYPES).build());
  private static final EcsService PAYMENTS = new EcsService("payments", "app", 8080, 15000);

  private static EcsSettings settings(EcsSettings.Direct direct) {
    return new EcsSettings(URI.create("http://169.254.170.2/v4/x"), "prod", List.of(PAYMENTS), null, direct, 9901,
        Duration.ofSeconds(5), 10, Duration.ofSeconds(1), new MetricsEndpoint.Settings("127.0.0.1", 0, false));
  }

  @Test
  void aBridgeTasksEnvoySendsNoAuthorizationToTheRelayAndForwardsToTheAppContainer() {
    Metadata.Task task = Fixtures.task("bridge-task.json");
    EcsSettings settings = settings(null);
    Placement placement = Placement.viaHostAgent(settings, TaskNetworkMode.BRIDGE, new HostPort("172.17.0.1", 15101),
        new HostAgent.HostInfo("prod", "10.0.1.17", null, 15102), task);
    BootstrapSpec spec = SidecarEnvoy.spec(settings, placement,
        ServicePlan.of(settings, TaskNetworkMode.BRIDGE, task, task.container("tether-sidecar").orElseThrow()),
        task.taskId());

    Bootstrap bootstrap = EnvoyBootstrap.render(spec);

    assertThat(bootstrap.getNode().getId()).isEqualTo("payments-0b69d5c0d0c94fd1a34c3a4e6b7d0c1e");
    assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow("mode").getStringValue()).isEqualTo("server-only");
    GrpcService ads = bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0);
    assertThat(ads.getInitialMetadataList()).as("no authorization: the relay adds the token").isEmpty();
    assertThat(bootstrap.getStaticResources().getListenersList()).extracting(l -> l.getName())
        .containsExactly("tether-app:payments");
    passesEnvoysRules(bootstrap);
    Golden.assertMatches(Golden.ROOT.resolve("ecs/bridge-relay.bootstrap.json"), EnvoyBootstrap.json(bootstrap));
  }

  @Test
  void anAwsvpcTasksEnvoySendsTheTokenToTheControlPlaneAndReachesTheAppOnItsLoopback() {
    Metadata.Task task = Fixtures.task("awsvpc-task.json");
    EcsSettings settings = settings(new EcsSettings.Direct(URI.create("http://tether.internal:8700"),
        new HostPort("tether.internal", 18000), "s3cret"));
    Placement placement = Placement.direct(settings, task.container("tether-sidecar").orElseThrow(), task);
    BootstrapSpec spec = SidecarEnvoy.spec(settings, placement,
        ServicePlan.of(settings, TaskNetworkMode.AWSVPC, task, task.container("tether-sidecar").orElseThrow()),
        task.taskId());

    Bootstrap bootstrap = EnvoyBootstrap.render(spec);

    GrpcService ads = bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0);
    assertThat(ads.getInitialMetadata(0).getKey()).isEqualTo("authorization");
    assertThat(ads.getInitialMetadata(0).getValue()).isEqualTo("Bearer s3cret");
    assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow("mode").getStringValue())
        .as("the apps call the aliases through it").isEqualTo("client-and-server");
    assertThat(bootstrap.getStaticResources().getListenersList()).as("the app is on Envoy's loopback").isEmpty();
    passesEnvoysRules(bootstrap);
  }

  @Test
  void anAwsvpcTasksEnvoySpeaksTlsToXdsWithTetherXdsCaAndABridgeTasksNeverDoes() {
    Metadata.Task task = Fixtures.task("awsvpc-task.json");
    EcsSettings settings = settings(new EcsSettings.Direct(URI.create("https://tether.internal:8700"),
        new HostPort("tether.internal", 18443), "s3cret", null, java.nio.file.Path.of("/etc/tether/xds-ca.pem")));
    Placement placement = Placement.direct(settings, task.container("tether-sidecar").orElseThrow(), task);
    BootstrapSpec spec = SidecarEnvoy.spec(settings, placement,
        ServicePlan.of(settings, TaskNetworkMode.AWSVPC, task, task.container("tether-sidecar").orElseThrow()),
        task.taskId());

    Bootstrap bootstrap = EnvoyBootstrap.render(spec);

    assertThat(spec.xdsCaFile()).isEqualTo("/etc/tether/xds-ca.pem");
    assertThat(bootstrap.getStaticResources().getClusters(0).getTransportSocket().getName())
        .isEqualTo("envoy.transport_sockets.tls");
    passesEnvoysRules(bootstrap);

    Metadata.Task bridge = Fixtures.task("bridge-task.json");
    EcsSettings relayed = settings(null);
    Placement viaHost = Placement.viaHostAgent(relayed, TaskNetworkMode.BRIDGE, new HostPort("172.17.0.1", 15101),
        new HostAgent.HostInfo("prod", "10.0.1.17", null, 15102), bridge);
    assertThat(SidecarEnvoy.spec(relayed, viaHost, ServicePlan.of(relayed, TaskNetworkMode.BRIDGE, bridge,
        bridge.container("tether-sidecar").orElseThrow()), bridge.taskId()).xdsCaFile())
        .as("the host agent's ADS relay is plaintext on the host").isNull();
  }

  private static void passesEnvoysRules(Bootstrap bootstrap) {
    PgvChecker.Report report = CHECKER.check(bootstrap);
    assertThat(report.violations()).isEmpty();
    assertThat(report.deprecated()).isEmpty();
  }
}
