package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.agent.registry.RegistryClient;
import io.tether.client.TetherClient;
import io.tether.client.cli.CliEnvironment;
import io.tether.main.TetherMain;
import io.tether.main.TetherServer;
import io.tether.model.json.Json;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.ApiTls;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.server.XdsServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API over TLS ({@code --api-tls-cert/--api-tls-key}) with a CA and certificate minted by
 * Bouncy Castle: the CLI reaches it with {@code --server https://…} trusting {@code --server-ca} (or
 * {@code $TETHER_SERVER_CA}), the agent's REST client trusting the CA it was given; without the CA, or in
 * plain HTTP, nothing gets through; bad files are one usage error of {@code tether server}.
 */
class ApiTlsTest {
  private static Path dir;
  private static TestCertificates pki;
  private static TetherServer server;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    dir = TestEtcd.tempDir("api-tls");
    pki = TestCertificates.mint(dir);
    server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()), TestEtcd.uniquePrefix(),
        "127.0.0.1", 0, Mesh.TOKENS, Duration.ofSeconds(5), HttpLimits.defaults(),
        new ApiTls(pki.serverCert(), pki.serverKey()).checked()),
        new XdsServer.Config("127.0.0.1", 0, Mesh.TOKENS), "api-tls").start();
    url = "https://127.0.0.1:" + server.registry().apiPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void processEnvironmentAgain() {
    CliEnvironment.replaceForTests(null);
    TetherClient.trustByDefault(null);
  }

  @Test
  void theCliTrustsTheServerByServerCaAndMintsATokenOverTls() {
    Run created = cli(Map.of(), "ns", "create", "a", "--server", url, "--server-ca", pki.ca().toString());
    assertThat(created.exit).as(created.err).isZero();
    Run minted = cli(Map.of("TETHER_SERVER_CA", pki.ca().toString()),
        "token", "create", "--role", "agent", "-n", "a", "-o", "json", "--server", url);
    assertThat(minted.exit).as(minted.err).isZero();
    JsonNode token = Json.read(minted.out.getBytes(), JsonNode.class);
    assertThat(token.path("token").asText()).startsWith("tether_");

    Run listed = cli(Map.of("TETHER_SERVER_CA", pki.ca().toString()), "token", "list", "--server", url);
    assertThat(listed.exit).as(listed.err).isZero();
    assertThat(listed.out).contains(token.path("id").asText()).contains("agent").doesNotContain(token.path("token").asText());
  }

  @Test
  void withoutTheCaOrInPlainHttpNothingGetsThrough() {
    Run untrusted = cli(Map.of(), "ns", "list", "--server", url);
    assertThat(untrusted.exit).isEqualTo(1);
    assertThat(untrusted.err.strip()).startsWith("error: ").doesNotContain("\n").doesNotContain(Mesh.ADMIN);
    Run plain = cli(Map.of("TETHER_SERVER_CA", pki.ca().toString()), "ns", "list",
        "--server", url.replace("https://", "http://"));
    assertThat(plain.exit).as(plain.out).isEqualTo(1);
    Run badCa = cli(Map.of(), "ns", "list", "--server", url, "--server-ca", pki.serverKey().toString());
    assertThat(badCa.err.strip()).startsWith("error: --server-ca " + pki.serverKey()).doesNotContain("\n");
  }

  @Test
  void theAgentsRestClientTrustsTheCaItWasGiven() {
    server.registry().store().putNamespace(new io.tether.model.Namespace("agents", null, null),
        io.tether.registry.store.Precondition.NONE).join();
    TetherClient.trustByDefault(pki.ca()); // what the agent's --server-ca does
    RegistryClient agent = new RegistryClient(URI.create(url), Mesh.ADMIN);
    assertThat(agent.grantLease("agents", 10).ttlSeconds()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void badTlsFilesAreOneUsageErrorOfTheServer() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
    Run badCert = cli(Map.of(), "server", "--etcd", TestEtcd.shared().clientUrl(), "--api-port", "0", "--xds-port", "0",
        "--tokens-file", tokens().toString(), "--api-tls-cert", notPem.toString(), "--api-tls-key", pki.serverKey().toString());
    assertThat(badCert.exit).as(badCert.err).isEqualTo(2);
    assertThat(badCert.err).contains("--api-tls-cert " + notPem + " is not a PEM certificate chain");
    Run badKey = cli(Map.of(), "server", "--etcd", TestEtcd.shared().clientUrl(), "--api-port", "0", "--xds-port", "0",
        "--tokens-file", tokens().toString(), "--api-tls-cert", pki.serverCert().toString(), "--api-tls-key", notPem.toString());
    assertThat(badKey.exit).as(badKey.err).isEqualTo(2);
    assertThat(badKey.err).contains("--api-tls-key " + notPem + " is not a PEM private key");
    Run alone = cli(Map.of(), "server", "--api-tls-cert", pki.serverCert().toString());
    assertThat(alone.exit).isEqualTo(2);
    assertThat(alone.err).contains("--api-tls-cert and --api-tls-key go together");
  }

  private static Path tokens() throws Exception {
    return Files.writeString(dir.resolve("tokens.json"),
        "{\"tokens\":[{\"name\":\"admin\",\"token\":\"" + Mesh.ADMIN + "\",\"role\":\"ADMIN\"}]}");
  }

  private record Run(int exit, String out, String err) {}

  /** The operator CLI in this JVM, with only these variables and the admin token: no user config read. */
  private static Run cli(Map<String, String> env, String... args) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("TETHER_TOKEN", Mesh.ADMIN);
    all.put("TETHER_CONFIG", dir.resolve("no-config.yaml").toString());
    CliEnvironment.replaceForTests(all);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TetherMain.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
