package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.relay.AdsRelay;
import io.tether.agent.relay.RelayHook;
import io.tether.agent.relay.RestRelay;
import io.tether.agent.testing.SelfSignedCert;
import io.tether.client.TetherClient;
import io.tether.main.TetherServer;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.ApiTls;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.server.XdsServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A control plane that serves its REST API and xDS over TLS with a certificate of a private CA: a host
 * agent whose config names that CA as {@code serverCa} relays the task agents' calls to it and learns
 * its xDS address from it; the relay of one without it answers 502 saying to set {@code serverCa}. With
 * {@code xdsCaFile} beside it, the ADS relay gets the tasks' resources over TLS.
 */
class HostServerCaTest {
  private static SelfSignedCert pki;
  private static TetherServer server;
  private static String https;
  private final Path dir = TestEtcd.tempDir("host-server-ca");

  @BeforeAll
  static void start() throws Exception {
    pki = SelfSignedCert.for127001();
    server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()), TestEtcd.uniquePrefix(),
        "127.0.0.1", 0, HostControlPlane.TOKENS, Duration.ofSeconds(5), HttpLimits.defaults(),
        new ApiTls(pki.cert(), pki.key()).checked()),
        new XdsServer.Config("127.0.0.1", 0, HostControlPlane.TOKENS, pki.cert(), pki.key(), null), "replica-tls")
        .start();
    Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
    https = "https://127.0.0.1:" + server.registry().apiPort();
    TetherClient.trustByDefault(pki.cert());
    try {
      TetherClient admin = TetherClient.builder(https).token(io.tether.registry.testing.TestRegistry.ADMIN).build();
      admin.putNamespace("a", "{}".getBytes());
      admin.putService("a", "web", ("{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":"
          + "[{\"dnsName\":\"web\",\"port\":" + Ports.free() + "}]}").getBytes());
    } finally {
      TetherClient.trustByDefault(null);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void theJvmsCasAgain() {
    TetherClient.trustByDefault(null);
  }

  @Test
  void withServerCaTheRelayReachesTheHttpsControlPlane() throws Exception {
    HostSettings settings = HostConfigLoader.load(config("serverCa: " + pki.cert() + "\n"));
    try (RestRelay relay = relay(settings)) {
      ApiClient.Response r = new ApiClient(Relays.url(relay), null).get("/v1/namespaces/a").expect(200);

      assertThat(r.body().path("name").asText()).isEqualTo("a");
    }
  }

  @Test
  void withoutServerCaTheRelayAnswers502SayingToSetIt() throws Exception {
    HostSettings settings = HostConfigLoader.load(config(""));
    try (RestRelay relay = relay(settings)) {
      ApiClient.Response r = new ApiClient(Relays.url(relay), null).get("/v1/namespaces/a");

      assertThat(r.status()).isEqualTo(502);
      assertThat(r.body().path("error").path("message").asText()).startsWith("the TLS handshake with the control plane at " + https
          + " failed (").endsWith("): if its certificate is signed by a private CA, set serverCa in the host agent's "
          + "config to that CA");
    }
  }

  /**
   * As {@code tether agent host} starts: serverCa trusted by every TetherClient, then GET /v1/xds asked
   * over https; the TLS xDS port it advertises is relayed to, verified against xdsCaFile.
   */
  @Test
  void withServerCaAndXdsCaFileTheXdsAddressIsLearnedAndRelayedOverTls() throws Exception {
    Path config = config("serverCa: " + pki.cert() + "\nxdsCaFile: " + pki.cert() + "\n");
    HostSettings loaded = HostConfigLoader.load(config);
    TetherClient.trustByDefault(loaded.controlPlane().serverCa());

    HostSettings.ControlPlane cp = AdvertisedXdsOfHost.complete(loaded, config).controlPlane();

    assertThat(cp.xdsPort()).isEqualTo(server.xds().port());
    try (AdsRelay relay = AdsRelay.start(new AdsRelay.Config(List.of(InetAddress.getLoopbackAddress()), 0,
        Relays.LOOPBACK, cp.xdsHost(), cp.xdsPort(), cp.xdsCaFile(), cp.token()));
        RawAds task = new RawAds(Relays.port(relay), null, "relayed-tls")) {
      task.subscribe(RawAds.CDS);

      assertThat(RawAds.names(task.next(Duration.ofSeconds(20)))).contains("web.a");
    }
  }

  private static RestRelay relay(HostSettings settings) {
    HostSettings.ControlPlane cp = settings.controlPlane();
    return RestRelay.start(new RestRelay.Config(List.of(InetAddress.getLoopbackAddress()), 0, Relays.LOOPBACK,
        cp.restApi(), cp.serverCa(), cp.token(), () -> Relays.HOST_INFO, RelayHook.NONE));
  }

  private Path config(String more) throws Exception {
    Path token = Files.writeString(dir.resolve("agent.token"), HostControlPlane.TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    return Files.writeString(dir.resolve("host.yaml"), "server: " + https + "\ntokenFile: " + token
        + "\nnamespace: a\naddress: 127.0.0.1\n" + more);
  }
}
