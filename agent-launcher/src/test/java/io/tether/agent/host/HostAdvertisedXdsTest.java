package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.testing.SelfSignedCert;
import io.tether.main.TetherServer;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.server.XdsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A host config without {@code xds}: the host agent asks a real control plane ({@code GET /v1/xds})
 * with its token, and refuses, naming the file and what to set, when it cannot learn the address or
 * when the advertised TLS and {@code xdsCaFile} disagree.
 */
class HostAdvertisedXdsTest {
  private static HostControlPlane cp;
  private final Path dir = TestEtcd.tempDir("host-xds");

  @BeforeAll
  static void start() {
    cp = new HostControlPlane();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  private Path config(String server, String token, String more) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("agent.token"), token);
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    return Files.writeString(dir.resolve("host.yaml"), "server: " + server + "\ntokenFile: " + tokenFile
        + "\nnamespace: a\naddress: 127.0.0.1\n" + more);
  }

  private static HostSettings learned(Path config) throws HostConfigException {
    return AdvertisedXdsOfHost.complete(HostConfigLoader.load(config), config);
  }

  @Test
  void withoutXdsTheHostAgentUsesWhatTheControlPlaneAdvertises() throws Exception {
    String server = cp.restUrl().substring("http://".length()); // HOST:PORT, as --server takes it
    HostSettings s = learned(config(server, HostControlPlane.TOKEN, ""));

    assertThat(s.controlPlane().xdsHost()).isEqualTo("127.0.0.1");
    assertThat(s.controlPlane().xdsPort()).isEqualTo(cp.xdsPort());
  }

  @Test
  void aGivenXdsIsTakenAsItIsWithoutAskingAnyone() throws Exception {
    HostSettings s = learned(config("127.0.0.1:" + Ports.free(), HostControlPlane.TOKEN, "xds: xds.internal:18443\n"));

    assertThat(s.controlPlane().xdsHost()).isEqualTo("xds.internal");
    assertThat(s.controlPlane().xdsPort()).isEqualTo(18443);
  }

  @Test
  void whenTheControlPlaneCannotSayTheErrorNamesTheFileAndWhatToSet() throws Exception {
    Path badToken = config(cp.restUrl(), "not-a-token-of-anyone-0123", "");
    assertThatThrownBy(() -> learned(badToken)).isInstanceOf(HostConfigException.class)
        .hasMessageStartingWith(badToken + ": cannot learn the xDS address from " + cp.restUrl() + "/v1/xds (HTTP 401")
        .hasMessageEndingWith(": set xds: HOST:PORT in the file");
    Path unreachable = config("127.0.0.1:" + Ports.free(), HostControlPlane.TOKEN, "");
    assertThatThrownBy(() -> learned(unreachable)).hasMessageContaining("cannot learn the xDS address from http://127.0.0.1:")
        .hasMessageEndingWith(": set xds: HOST:PORT in the file");
  }

  @Test
  void aCaFileForAPlaintextControlPlaneIsRefused() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not read: refused first");
    Path config = config(cp.restUrl(), HostControlPlane.TOKEN, "xdsCaFile: " + ca + "\n");

    assertThatThrownBy(() -> learned(config)).hasMessage(config + ": xdsCaFile is set, but the control plane serves "
        + "plaintext xDS at 127.0.0.1:" + cp.xdsPort() + " (" + cp.restUrl() + "/v1/xds): remove xdsCaFile, or set xds "
        + "to where xDS is served over TLS");
  }

  @Test
  void aTlsControlPlaneNeedsTheCaFile() throws Exception {
    SelfSignedCert pki = SelfSignedCert.for127001();
    XdsServer.Config tls = new XdsServer.Config("127.0.0.1", 0, HostControlPlane.TOKENS, pki.cert(), pki.key(), null);
    try (TetherServer server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()),
        TestEtcd.uniquePrefix(), "127.0.0.1", 0, HostControlPlane.TOKENS, Duration.ofSeconds(5), HttpLimits.defaults()),
        tls, "replica-tls").start()) {
      Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
      String api = "127.0.0.1:" + server.registry().apiPort();
      Path withoutCa = config(api, HostControlPlane.TOKEN, "");
      assertThatThrownBy(() -> learned(withoutCa)).hasMessage(withoutCa + ": the control plane serves xDS over TLS at "
          + "127.0.0.1:" + server.xds().port() + " (http://" + api + "/v1/xds): set xdsCaFile to the CA of its certificate");
      HostSettings withCa = learned(config(api, HostControlPlane.TOKEN, "xdsCaFile: " + pki.cert() + "\n"));
      assertThat(withCa.controlPlane().xdsPort()).isEqualTo(server.xds().port());
      assertThat(withCa.controlPlane().xdsCaFile()).isEqualTo(pki.cert());
    }
  }
}
