package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.EnvoyBootstrap;
import io.tether.agent.envoy.EnvoySupervisor;
import io.tether.agent.relay.AdsRelay;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Envoy (delta ADS, as a task's sidecar speaks it) through the ADS relay to a real xDS server,
 * with a token that is not the host's (the relay replaces it); and what a restarted host agent means
 * to it: its stream ends UNAVAILABLE, and it reconnects to the next relay on the same port.
 */
class HostAdsRelayEnvoyTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static HostControlPlane cp;

  @BeforeAll
  static void start() {
    cp = new HostControlPlane();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  private static EnvoySupervisor envoy(String nodeId, int relayPort) throws Exception {
    Path dir = TestEtcd.tempDir("relay-envoy");
    int admin = Ports.free();
    Path bootstrap = dir.resolve("bootstrap.json");
    Files.writeString(bootstrap, EnvoyBootstrap.json(EnvoyBootstrap.render(new BootstrapSpec(nodeId, "relay-test", "a",
        List.of(), "127.0.0.1", relayPort, "not-the-hosts-token-0123", admin, null))));
    EnvoySupervisor envoy = new EnvoySupervisor(new EnvoySupervisor.Settings(
        new EnvoySupervisor.Launch(Prerequisites.envoy(), bootstrap, admin, Duration.ofSeconds(1), dir.resolve("envoy.log")),
        Duration.ofSeconds(60), new EnvoySupervisor.Restarts(0, Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofMinutes(1))), new EnvoySupervisor.Listener() {
          @Override
          public void onExited(int exitCode) {}

          @Override
          public void onRestarted(int attempt, int exitCode) {}

          @Override
          public void onReady() {}

          @Override
          public void onGaveUp(int exitCode) {}
        });
    envoy.start();
    return envoy;
  }

  @Test
  void anEnvoyThroughTheRelayIsServedAndReconnectsToTheNextRelay() throws Exception {
    AdsRelay relay = Relays.ads(cp.xdsPort(), Relays.LOOPBACK);
    int port = Relays.port(relay);
    EnvoySupervisor envoy = envoy("relayed-envoy", port);
    try {
      Poll.until(WAIT, () -> cp.connected("relayed-envoy"), "the relayed Envoy's stream reached the server");

      relay.close();
      Poll.until(WAIT, () -> !cp.connected("relayed-envoy"), "the stream ended with the relay");
      relay = AdsRelay.start(new AdsRelay.Config(List.of(InetAddress.getLoopbackAddress()), port, Relays.LOOPBACK,
          "127.0.0.1", cp.xdsPort(), null, HostControlPlane.TOKEN));

      Poll.until(WAIT, () -> cp.connected("relayed-envoy"), "the Envoy reconnected through the restarted relay");
      assertThat(cp.connected("relayed-envoy")).as("served through the relay, which alone holds the token").isTrue();
    } finally {
      envoy.close();
      relay.close();
    }
  }
}
