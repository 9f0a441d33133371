package io.tether.agent.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.agent.testing.SelfSignedCert;
import io.tether.client.TetherClient;
import io.tether.main.TetherServer;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.ApiTls;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import io.tether.xds.server.XdsServer;
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
    return discovery(new EcsSettings.Direct(URI.create(mesh.restApi()), xds, token));
  }

  private TaskDiscovery discovery(EcsSettings.Direct direct) {
    EcsSettings settings = new EcsSettings(URI.create(metadata.uri()), "a", List.of(PAYMENTS), null, direct, 9901,
        Duration.ofSeconds(5), 10, Duration.ofMillis(100), new MetricsEndpoint.Settings("127.0.0.1", 0, false));
    return new TaskDiscovery(settings, new TaskMetadata(settings.metadataUri()), Duration.ofSeconds(2));
  }

  @Test
  void tetherXdsCaForAPlaintextXdsPortStopsTheTaskSayingWhichToSet() throws Exception {
    SelfSignedCert pki = SelfSignedCert.for127001();
    EcsSettings.Direct direct = new EcsSettings.Direct(URI.create(mesh.restApi()), null, TestRegistry.AGENT_A, null,
        pki.cert());

    assertThatThrownBy(() -> discovery(direct).discover()).isInstanceOf(TaskConfigException.class)
        .hasMessage("TETHER_XDS_CA is set, but the control plane serves plaintext xDS at " + mesh.xds() + " ("
            + mesh.restApi() + "/v1/xds): remove TETHER_XDS_CA, or set TETHER_XDS to where xDS is served over TLS");
  }

  /**
   * REST over https and xDS over TLS, both with a certificate of a private CA: the task's REST calls
   * trust TETHER_SERVER_CA (as {@code EcsTaskCommand} sets it for every client), and the advertised TLS
   * xDS port is taken with TETHER_XDS_CA, refused without it.
   */
  @Test
  void aControlPlaneOfAPrivateCaIsReachedWithTetherServerCaAndTetherXdsCa() throws Exception {
    SelfSignedCert pki = SelfSignedCert.for127001();
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(
        new TokenFile.Entry("agent-a", TestRegistry.AGENT_A, Role.AGENT, "a")));
    try (TetherServer server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()),
        TestEtcd.uniquePrefix(), "127.0.0.1", 0, tokens, Duration.ofSeconds(5), HttpLimits.defaults(),
        new ApiTls(pki.cert(), pki.key()).checked()),
        new XdsServer.Config("127.0.0.1", 0, tokens, pki.cert(), pki.key(), null), "replica-tls").start()) {
      Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
      URI https = URI.create("https://127.0.0.1:" + server.registry().apiPort());
      TetherClient.trustByDefault(pki.cert());
      try {
        Placement placement = discovery(new EcsSettings.Direct(https, null, TestRegistry.AGENT_A, pki.cert(),
            pki.cert())).discover().orElseThrow().placement();
        assertThat(placement.xds()).isEqualTo(new HostPort("127.0.0.1", server.xds().port()));

        assertThatThrownBy(() -> discovery(new EcsSettings.Direct(https, null, TestRegistry.AGENT_A, pki.cert(), null))
            .discover()).isInstanceOf(TaskConfigException.class).hasMessage("the control plane serves xDS over TLS at "
                + "127.0.0.1:" + server.xds().port() + " (" + https + "/v1/xds): set TETHER_XDS_CA to the CA of its "
                + "certificate (a file in the tether-sidecar container), or TETHER_XDS to a plaintext xDS address");
      } finally {
        TetherClient.trustByDefault(null);
      }
    }
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
