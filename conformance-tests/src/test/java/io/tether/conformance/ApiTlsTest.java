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
import io.tether.registry.testing.Poll;
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
 * plain HTTP, nothing gets through; a replica given the CA as {@code --api-peer-ca} asks its peers for
 * {@code /v1/proxies} over https; bad files are one usage error of {@code tether server}.
 */
class ApiTlsTest {
  private static Path dir;
  private static TestCertificates pki;
  private static TetherServer server;
  private static String url;
  private static String prefix;

  @BeforeAll
  static void start() throws Exception {
    dir = TestEtcd.tempDir("api-tls");
    pki = TestCertificates.mint(dir);
    prefix = TestEtcd.uniquePrefix();
    server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()), prefix,
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
  void aReplicaTrustingThePrivateCaByApiPeerCaMergesTheOthersProxiesAndOneWithoutCannot() throws Exception {
    try (TetherServer second = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()), prefix,
        "127.0.0.1", 0, Mesh.TOKENS, Duration.ofSeconds(5), HttpLimits.defaults(),
        new ApiTls(pki.serverCert(), pki.serverKey(), pki.ca()).checked()),
        new XdsServer.Config("127.0.0.1", 0, Mesh.TOKENS), "api-tls-2").start()) {
      String secondUrl = "https://127.0.0.1:" + second.registry().apiPort();
      Poll.until(Duration.ofSeconds(20), () -> replicas(proxies(secondUrl)).contains("api-tls"),
          () -> "the second replica knows the first: " + proxies(secondUrl));
      JsonNode merged = proxies(secondUrl);
      assertThat(replicas(merged)).containsExactlyInAnyOrder("api-tls", "api-tls-2");
      assertThat(merged.path("unreachableReplicas")).as("asked over https, trusting --api-peer-ca").isEmpty();

      Poll.until(Duration.ofSeconds(20), () -> replicas(proxies(url)).contains("api-tls-2"), "the first knows the second");
      assertThat(proxies(url).path("unreachableReplicas").findValuesAsText("id"))
          .as("the first replica trusts the JVM's CAs only").containsExactly("api-tls-2");
    }
  }

  @Test
  void apiPeerCaNeedsTheApiOverTls() throws Exception {
    Run alone = cli(Map.of(), "server", "--api-peer-ca", pki.ca().toString());
    assertThat(alone.exit).isEqualTo(2);
    assertThat(alone.err).contains("--api-peer-ca is for replicas serving the API over TLS: it needs --api-tls-cert");
    Run notPem = cli(Map.of(), "server", "--api-tls-cert", pki.serverCert().toString(), "--api-tls-key",
        pki.serverKey().toString(), "--api-peer-ca", pki.serverKey().toString());
    assertThat(notPem.exit).isEqualTo(2);
    assertThat(notPem.err).contains("--api-peer-ca " + pki.serverKey());
  }

  /** {@code GET /v1/proxies} of the API at {@code apiUrl}, trusting the test's CA. */
  private static JsonNode proxies(String apiUrl) {
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
          .sslContext(io.tether.client.ServerCa.load("the test CA", pki.ca())).build();
      java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(apiUrl
          + "/v1/proxies")).header("Authorization", "Bearer " + Mesh.ADMIN).timeout(Duration.ofSeconds(10)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return Json.MAPPER.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> replicas(JsonNode proxies) {
    return proxies.path("replicas").findValuesAsText("id");
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
