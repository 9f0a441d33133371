package io.tether.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.AgentMain;
import io.tether.agent.Cli;
import io.tether.agent.testing.AgentUnderTest;
import io.tether.agent.testing.FakeApp;
import io.tether.agent.testing.SelfSignedCert;
import io.tether.main.TetherServer;
import io.tether.process.ChildJvm;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import io.tether.xds.server.XdsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tether agent run --xds-ca} against a control plane that serves xDS over TLS with a certificate
 * of its own CA (what {@code GET /v1/xds} advertises): a real Envoy gets its listeners over TLS; and the
 * usage errors when the CA is missing, given to a plaintext port, unreadable, or asked of a proxyless app.
 */
class RunXdsCaTest {
  private static final TokenAuthenticator TOKENS = TokenAuthenticator.of(List.of(
      new TokenFile.Entry("admin", TestRegistry.ADMIN, Role.ADMIN, null),
      new TokenFile.Entry("agent-a", TestRegistry.AGENT_A, Role.AGENT, "a")));
  private static SelfSignedCert pki;
  private static TetherServer tls;
  private static TetherServer plaintext;
  private final Path dir = TestEtcd.tempDir("run-xds-ca");

  @BeforeAll
  static void start() throws Exception {
    pki = SelfSignedCert.for127001();
    tls = server(new XdsServer.Config("127.0.0.1", 0, TOKENS, pki.cert(), pki.key(), null), "replica-xds-tls");
    plaintext = server(new XdsServer.Config("127.0.0.1", 0, TOKENS), "replica-xds-plain");
    AgentUnderTest.createService(new ApiClient(api(tls), TestRegistry.ADMIN));
  }

  private static TetherServer server(XdsServer.Config xds, String replica) {
    TetherServer server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()),
        TestEtcd.uniquePrefix(), "127.0.0.1", 0, TOKENS, Duration.ofSeconds(5), HttpLimits.defaults()), xds, replica)
        .start();
    Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
    return server;
  }

  @AfterAll
  static void stop() {
    for (TetherServer server : new TetherServer[] {tls, plaintext}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static String api(TetherServer server) {
    return "http://127.0.0.1:" + server.registry().apiPort();
  }

  private Path token() throws IOException {
    return Files.writeString(dir.resolve("token"), TestRegistry.AGENT_A);
  }

  @Test
  void withXdsCaARealEnvoyGetsItsListenersFromTheTlsXdsPort() throws Exception {
    int appPort = Ports.free();
    int ingress = Ports.free();
    int admin = Ports.free();
    List<String> cmd = new ArrayList<>(ChildJvm.main(AgentMain.class));
    cmd.addAll(List.of("run", "--server", api(tls),
        "--xds-ca", pki.cert().toString(), "--token-file", token().toString(), "-n", "a", "--service", "web",
        "--task-id", "tls1", "--app-port", Integer.toString(appPort), "--ingress-port", Integer.toString(ingress),
        "--admin-port", Integer.toString(admin), "--metrics-port", "0", "--address", "127.0.0.1",
        "--hosts-file", "none", "--drain-time", "1", "--stop-grace", "2", "--work-dir", dir.resolve("work").toString(),
        "--envoy-bin", Prerequisites.envoy().toString(), "--", FakeApp.install(dir).toString(), Integer.toString(appPort)));
    Path log = dir.resolve("agent.log");
    Process agent = TestChildren.start(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()));
    List<ProcessHandle> children = new ArrayList<>();
    try {
      Poll.until(Duration.ofSeconds(15), () -> listeners(admin).contains(":" + ingress),
          () -> "no ingress listener from xDS over TLS; agent log:\n" + read(log));
      ApiClient registry = new ApiClient(api(tls), TestRegistry.ADMIN);
      Poll.until(Duration.ofSeconds(10), () -> registry.get("/v1/proxies").expect(200).body().toString()
          .contains("\"web-tls1\""), () -> "the xDS server has no stream of web-tls1; agent log:\n" + read(log));
      // Registered once its app is healthy: the task is fully up, and SIGTERM then drains it and exits 0.
      Poll.until(Duration.ofSeconds(15), () -> registry.get("/v1/namespaces/a/services/web/endpoints/tls1").status()
          == 200, () -> "tls1 not registered; agent log:\n" + read(log));
      agent.descendants().forEach(children::add);
      assertThat(children).as("its Envoy and app").hasSizeGreaterThanOrEqualTo(2);
    } finally {
      agent.destroy(); // SIGTERM: the agent stops its Envoy and app
      if (!agent.waitFor(15, TimeUnit.SECONDS)) {
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertThat(agent.exitValue()).as(read(log)).isZero();
    Poll.until(Duration.ofSeconds(5), () -> children.stream().noneMatch(ProcessHandle::isAlive),
        () -> "children still alive: " + children);
  }

  @Test
  void aTlsXdsPortWithoutXdsCaIsAUsageErrorSayingToPassIt() throws Exception {
    Cli cli = Cli.run("run", "--server", api(tls), "--token-file", token().toString(), "-n", "a", "--", "true");

    assertUsage(cli, "error: the control plane serves xDS over TLS at 127.0.0.1:" + tls.xds().port()
        + " (GET /v1/xds): pass --xds-ca FILE, the CA that signed its certificate");
  }

  @Test
  void aProxylessAppCannotTakeTheCa() throws Exception {
    assertUsage(Cli.run("run", "--server", api(tls), "--xds-ca", pki.cert().toString(), "--proxyless",
        "--token-file", token().toString(), "-n", "a", "--", "true"), "error: --xds-ca is not available with "
        + "--proxyless: the tether-bearer channel credentials of the app's grpc-java bootstrap are plaintext");
    assertUsage(Cli.run("run", "--server", api(tls), "--proxyless", "--token-file", token().toString(), "-n", "a",
        "--", "true"), "error: the control plane serves xDS over TLS at 127.0.0.1:" + tls.xds().port()
        + " (GET /v1/xds): a --proxyless app's bootstrap speaks plaintext xDS only");
  }

  @Test
  void aCaForAPlaintextPortOrOneThatIsNoCertificateIsAUsageError() throws Exception {
    assertUsage(Cli.run("run", "--server", api(plaintext), "--xds-ca", pki.cert().toString(), "--token-file",
        token().toString(), "-n", "a", "--", "true"), "error: --xds-ca is given, but the control plane serves "
        + "plaintext xDS at 127.0.0.1:" + plaintext.xds().port() + " (GET /v1/xds): drop --xds-ca, or pass --xds "
        + "where xDS is served over TLS");
    Path missing = dir.resolve("none.pem");
    assertUsage(Cli.run("run", "--server", api(tls), "--xds-ca", missing.toString(), "--token-file",
        token().toString(), "-n", "a", "--", "true"), "error: --xds-ca: no such file: " + missing);
    Path notPem = Files.writeString(dir.resolve("not.pem"), "no certificate here\n");
    Path config = Files.writeString(dir.resolve("task.yaml"), "server: " + api(tls) + "\nxdsCa: " + notPem
        + "\nnamespace: a\ntokenFile: " + token() + "\napp: [\"true\"]\n");
    assertUsage(Cli.run("run", "--config", config.toString()), "error: --xds-ca " + notPem + " ");
  }

  private static void assertUsage(Cli cli, String line) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(2);
    assertThat(cli.err()).startsWith(line).hasLineCount(1);
    assertThat(cli.out()).isEmpty();
  }

  private static String listeners(int admin) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin
          + "/listeners")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
