package io.tether.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.Cli;
import io.tether.agent.testing.SelfSignedCert;
import io.tether.main.TetherServer;
import io.tether.model.json.Json;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import io.tether.xds.server.XdsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent learns the xDS address and TLS from the control plane ({@code GET /v1/xds}) instead of
 * guessing: a real Tether replica, and {@code tether agent bootstrap} without {@code --xds} asking it.
 */
class XdsLookupTest {
  private static final TokenAuthenticator TOKENS = TokenAuthenticator.of(List.of(
      new TokenFile.Entry("admin", TestRegistry.ADMIN, Role.ADMIN, null),
      new TokenFile.Entry("agent-a", TestRegistry.AGENT_A, Role.AGENT, "a")));

  private static TetherServer replica(XdsServer.Config xds, String advertised) {
    TetherServer server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()),
        TestEtcd.uniquePrefix(), "127.0.0.1", 0, TOKENS, Duration.ofSeconds(5), HttpLimits.defaults()),
        xds, "replica-1").advertiseXds(advertised).start();
    Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
    return server;
  }

  private static Cli bootstrap(String server, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("bootstrap", "-n", "a", "--cluster", "web",
        "--token", TestRegistry.AGENT_A, "--server", server));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** The xDS address of a printed Envoy bootstrap, HOST:PORT. */
  private static String xdsAddressOf(String bootstrap) throws Exception {
    for (JsonNode c : Json.MAPPER.readTree(bootstrap).at("/static_resources/clusters")) {
      if (c.path("name").asText().equals("tether-xds")) {
        JsonNode a = c.at("/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address");
        return a.path("address").asText() + ":" + a.path("port_value").asInt();
      }
    }
    throw new AssertionError("no tether-xds cluster in " + bootstrap);
  }

  @Test
  void withoutXdsTheAddressIsTheHostTheApiWasReachedByAndTheXdsPort() throws Exception {
    try (TetherServer server = replica(new XdsServer.Config("127.0.0.1", 0, TOKENS), null)) {
      int api = server.registry().apiPort();
      int xds = server.xds().port();
      Cli byIp = bootstrap("127.0.0.1:" + api);
      assertThat(byIp.exitCode()).as(byIp.err()).isZero();
      assertThat(xdsAddressOf(byIp.out())).isEqualTo("127.0.0.1:" + xds);
      Cli byName = bootstrap("http://localhost:" + api);
      assertThat(byName.exitCode()).as(byName.err()).isZero();
      assertThat(xdsAddressOf(byName.out())).as("the Host header's host").isEqualTo("localhost:" + xds);
      Cli overridden = bootstrap("127.0.0.1:" + api, "--xds", "tether.internal:18000");
      assertThat(xdsAddressOf(overridden.out())).as("--xds still wins").isEqualTo("tether.internal:18000");
    }
  }

  @Test
  void anAdvertisedAddressIsWhatAgentsAreTold() throws Exception {
    try (TetherServer server = replica(new XdsServer.Config("127.0.0.1", 0, TOKENS), "xds.tether.internal:18443")) {
      Cli cli = bootstrap("127.0.0.1:" + server.registry().apiPort());
      assertThat(cli.exitCode()).as(cli.err()).isZero();
      assertThat(xdsAddressOf(cli.out())).isEqualTo("xds.tether.internal:18443");
    }
  }

  @Test
  void aTlsControlPlaneNeedsTheCaAndSaysSo() throws Exception {
    SelfSignedCert pki = SelfSignedCert.for127001();
    XdsServer.Config tls = new XdsServer.Config("127.0.0.1", 0, TOKENS, pki.cert(), pki.key(), null);
    try (TetherServer server = replica(tls, null)) {
      String api = "127.0.0.1:" + server.registry().apiPort();
      Cli withoutCa = bootstrap(api);
      assertThat(withoutCa.exitCode()).isEqualTo(2);
      assertThat(withoutCa.err()).contains("serves xDS over TLS (GET /v1/xds): pass --xds-ca FILE").hasLineCount(1);
      Cli withCa = bootstrap(api, "--xds-ca", pki.cert().toString());
      assertThat(withCa.exitCode()).as(withCa.err()).isZero();
      assertThat(withCa.out()).contains("envoy.transport_sockets.tls");
    }
  }

  @Test
  void whenTheControlPlaneCannotSayTheErrorNamesWhatToPass() {
    try (TetherServer server = replica(new XdsServer.Config("127.0.0.1", 0, TOKENS), null)) {
      Cli badToken = Cli.run("bootstrap", "-n", "a", "--cluster", "web", "--token", "not-a-valid-token-at-all",
          "--server", "127.0.0.1:" + server.registry().apiPort());
      assertThat(badToken.exitCode()).isEqualTo(2);
      assertThat(badToken.err()).contains("cannot learn the xDS address from http://127.0.0.1:")
          .contains("HTTP 401").contains("pass --xds HOST:PORT").hasLineCount(1);
    }
    Cli nothing = Cli.run("bootstrap", "-n", "a", "--cluster", "web", "--token", "t0123456789abcdef");
    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err()).contains("no xDS address: pass --xds HOST:PORT, or --server URL");
    Cli badServer = Cli.run("bootstrap", "-n", "a", "--cluster", "web", "--token", "t0123456789abcdef",
        "--server", "ftp://tether.internal");
    assertThat(badServer.exitCode()).isEqualTo(2);
    assertThat(badServer.err()).contains("--server 'ftp://tether.internal' must be HOST:PORT or http(s)://HOST:PORT");
  }
}
