package io.tether.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.tether.agent.Cli;
import io.tether.agent.Golden;
import io.tether.model.RegexProgramSize;
import io.tether.xds.render.PgvChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tether agent bootstrap}: what it prints is a bootstrap Envoy accepts (strict proto parse,
 * Envoy's validate.rules, no deprecated field), equal to what the renderer makes of the same spec, and
 * the reviewed golden file of its case. Mistakes in the options are usage errors (exit code 2) that
 * say what is wrong and print nothing on stdout.
 */
class BootstrapTest {
  static final Path DIR = Golden.ROOT.resolve("bootstrap");
  static final String TOKEN = "s3cret-agent-token";
  static final PgvChecker CHECKER = new PgvChecker(TypeRegistry.newBuilder().add(EnvoyBootstrap.PACKED_TYPES).build());

  /** A case: the command's arguments, the spec they mean, and the golden file of what it prints. */
  record Case(String golden, BootstrapSpec spec, String... args) {
    @Override
    public String toString() {
      return golden;
    }
  }

  static Stream<Case> envoyCases() {
    return Stream.of(
        new Case("client-only.json",
            new BootstrapSpec("billing-worker-1", "billing-worker", "prod", List.of(), "10.0.0.5", 18000, TOKEN, 9901, null),
            "--namespace", "prod", "--cluster", "billing-worker", "--node-id", "billing-worker-1",
            "--xds", "10.0.0.5:18000", "--token", TOKEN),
        new Case("client-and-server.json",
            new BootstrapSpec("payments-task-1", "payments", "prod",
                List.of(new ServedPort("payments", 15000, 8080), new ServedPort("refunds", 15001, 8081)),
                "10.0.0.5", 18000, TOKEN, 9901, null),
            "--namespace", "prod", "--service", "payments:15000:8080", "--service", "refunds:15001:8081",
            "--node-id", "payments-task-1", "--xds", "10.0.0.5:18000", "--token", TOKEN),
        new Case("tls-xds.json",
            new BootstrapSpec("payments-task-1", "payments", "prod", List.of(new ServedPort("payments", 15000, 8080)),
                "tether.internal", 18443, TOKEN, 9901, "/etc/tether/xds-ca.pem"),
            "--namespace", "prod", "--service", "payments:15000:8080", "--node-id", "payments-task-1",
            "--xds", "tether.internal:18443", "--xds-ca", "/etc/tether/xds-ca.pem", "--token", TOKEN),
        new Case("hostname-xds.json",
            new BootstrapSpec("payments-task-1", "payments", "staging", List.of(new ServedPort("payments", 15000, 8080)),
                "tether.internal", 18000, TOKEN, 19901, null),
            "--namespace", "staging", "--service", "payments:15000:8080", "--node-id", "payments-task-1",
            "--xds", "tether.internal:18000", "--admin-port", "19901", "--token", TOKEN),
        new Case("app-in-another-container.json",
            new BootstrapSpec("quotes-task-1", "quotes", "prod", List.of(new ServedPort("quotes", 15000, 9090, "quotes-api")),
                "tether.internal", 18000, TOKEN, 9901, null),
            "--namespace", "prod", "--service", "quotes:15000:quotes-api:9090", "--node-id", "quotes-task-1",
            "--xds", "tether.internal:18000", "--token", TOKEN),
        new Case("client-only-in-zone.json",
            new BootstrapSpec("billing-worker-1", "billing-worker", "prod", List.of(), "10.0.0.5", 18000, TOKEN, 9901, null)
                .withZone("eu-west-1a"),
            "--namespace", "prod", "--cluster", "billing-worker", "--node-id", "billing-worker-1",
            "--xds", "10.0.0.5:18000", "--token", TOKEN, "--zone", "eu-west-1a"),
        new Case("client-and-server.yaml",
            new BootstrapSpec("payments-task-1", "payments", "prod", List.of(new ServedPort("payments", 15000, 8080)),
                "10.0.0.5", 18000, TOKEN, 9901, null),
            "--namespace", "prod", "--service", "payments:15000:8080", "--node-id", "payments-task-1",
            "--xds", "10.0.0.5:18000", "--token", TOKEN, "-o", "yaml"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("envoyCases")
  void printedBootstrapParsesStrictlyIntoTheRenderedOne(Case c) throws Exception {
    Cli cli = Cli.run(args(c));
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(parseStrictly(c.golden().endsWith(".yaml") ? yamlToJson(cli.out()) : cli.out()))
        .isEqualTo(EnvoyBootstrap.render(c.spec()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("envoyCases")
  void printedBootstrapPassesEnvoysValidateRulesAndUsesNoDeprecatedField(Case c) throws Exception {
    Cli cli = Cli.run(args(c));
    PgvChecker.Report report = CHECKER.check(
        parseStrictly(c.golden().endsWith(".yaml") ? yamlToJson(cli.out()) : cli.out()));
    assertThat(report.violations()).isEmpty();
    assertThat(report.deprecated()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("envoyCases")
  void printedBootstrapMatchesTheReviewedGoldenFile(Case c) {
    Golden.assertMatches(DIR.resolve(c.golden()), Cli.run(args(c)).out());
  }

  @Test
  void proxylessBootstrapMatchesItsGoldenFileAndTheGrpcRenderer() throws Exception {
    BootstrapSpec spec = new BootstrapSpec("checkout-web-1", "checkout-web", "prod", List.of(), "tether.internal", 18000,
        TOKEN, 9901, null);
    Cli cli = Cli.run("bootstrap", "--proxyless", "--namespace", "prod", "--cluster", "checkout-web",
        "--node-id", "checkout-web-1", "--xds", "tether.internal:18000", "--token", TOKEN);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    Golden.assertMatches(DIR.resolve("proxyless-grpc.json"), cli.out());
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(cli.out())).isEqualTo(json.readTree(GrpcBootstrap.json(spec)));
  }

  @Test
  void theZoneIsTheNodesStandardLocalityInTheProxylessBootstrapToo() throws Exception {
    Cli cli = Cli.run("bootstrap", "--proxyless", "--namespace", "prod", "--cluster", "checkout-web",
        "--node-id", "checkout-web-1", "--xds", "tether.internal:18000", "--token", TOKEN, "--zone", "eu-west-1a");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    var json = new ObjectMapper().readTree(cli.out());
    assertThat(json.at("/node/locality/zone").asText()).isEqualTo("eu-west-1a");
    assertThat(json.at("/node/locality").size()).as("zone only").isEqualTo(1);
    BootstrapSpec spec = new BootstrapSpec("checkout-web-1", "checkout-web", "prod", List.of(), "tether.internal", 18000,
        TOKEN, 9901, null);
    assertThat(new ObjectMapper().readTree(GrpcBootstrap.json(spec)).at("/node").has("locality"))
        .as("no zone, no locality").isFalse();
  }

  @Test
  void withCertificateFilesTheProxylessBootstrapNamesThemInTheTetherProviderAndSaysSoInItsMetadata() throws Exception {
    BootstrapSpec spec = new BootstrapSpec("checkout-web-1", "checkout-web", "prod", List.of(), "tether.internal", 18000,
        TOKEN, 9901, null);
    var certs = new io.tether.agent.certs.CertificateFiles(java.nio.file.Path.of("/run/tether/certs"));
    var json = new ObjectMapper().readTree(GrpcBootstrap.json(spec, certs));
    var provider = json.at("/certificate_providers/tether");
    assertThat(provider.path("plugin_name").asText()).isEqualTo("file_watcher");
    assertThat(provider.path("config").path("certificate_file").asText()).isEqualTo("/run/tether/certs/cert.pem");
    assertThat(provider.path("config").path("private_key_file").asText()).isEqualTo("/run/tether/certs/key.pem");
    assertThat(provider.path("config").path("ca_certificate_file").asText()).isEqualTo("/run/tether/certs/ca.pem");
    assertThat(provider.path("config").path("refresh_interval").asText()).isEqualTo("1s");
    assertThat(json.at("/node/metadata/certificates").asText()).isEqualTo("file_watcher");
    var without = new ObjectMapper().readTree(GrpcBootstrap.json(spec));
    assertThat(without.has("certificate_providers")).isFalse();
    assertThat(without.at("/node/metadata").has("certificates")).isFalse();
  }

  @Test
  void runtimeRaisesRe2sProgramSizeLevelsAboveTheRegistrysBoundAndKeepsTheAdminLayer() throws Exception {
    Bootstrap b = parseStrictly(Cli.run("bootstrap", "--namespace", "prod", "--cluster", "web", "--token", TOKEN,
        "--xds", "127.0.0.1:18000").out());
    var layers = b.getLayeredRuntime().getLayersList();
    assertThat(layers).extracting(l -> l.getName()).containsExactly("tether", "admin");
    var levels = layers.get(0).getStaticLayer().getFieldsMap();
    assertThat(levels.get("re2.max_program_size.warn_level").getNumberValue()).isEqualTo(RegexProgramSize.MAX);
    assertThat(levels.get("re2.max_program_size.error_level").getNumberValue()).isEqualTo(2.0 * RegexProgramSize.MAX);
    assertThat(layers.get(1).hasAdminLayer()).isTrue();
  }

  @Test
  void everyGoldenFileBelongsToACase() {
    List<String> expected = new ArrayList<>(envoyCases().map(Case::golden).toList());
    expected.add("proxyless-grpc.json");
    assertThat(Golden.files(DIR)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void tokenFileIsReadWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.token");
    Files.writeString(file, TOKEN + "\n");
    Cli cli = Cli.run("bootstrap", "--namespace", "prod", "--cluster", "web", "--token-file", file.toString(),
        "--xds", "127.0.0.1:18000");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(parseStrictly(cli.out()).getDynamicResources().getAdsConfig().getGrpcServices(0).getInitialMetadata(0)
        .getValue()).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void defaultNodeIdIsTheServiceAndARandomSuffixFreshEveryTime() throws Exception {
    String[] args = {"bootstrap", "--namespace", "prod", "--service", "payments:15000:8080", "--token", TOKEN,
        "--xds", "127.0.0.1:18000"};
    String first = parseStrictly(Cli.run(args).out()).getNode().getId();
    String second = parseStrictly(Cli.run(args).out()).getNode().getId();
    assertThat(first).matches("payments-[0-9a-f]{8}");
    assertThat(second).matches("payments-[0-9a-f]{8}").isNotEqualTo(first);
  }

  @Test
  void oneAppOnTheLoopbackMayServeUnderTwoNames() throws Exception {
    Cli cli = Cli.run("bootstrap", "--namespace", "prod", "--service", "payments:15000:8080", "--service",
        "payments-v2:15001:8080", "--token", TOKEN, "--xds", "127.0.0.1:18000");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(parseStrictly(cli.out()).getNode().getMetadata().getFieldsOrThrow("services").getListValue()
        .getValuesCount()).isEqualTo(2);
  }

  @Test
  void appOnEnvoysLoopbackGetsNoForwarder() throws Exception {
    Bootstrap b = parseStrictly(Cli.run("bootstrap", "--namespace", "prod", "--service", "payments:15000:localhost:8080",
        "--token", TOKEN, "--xds", "127.0.0.1:18000").out());
    assertThat(b.getStaticResources().getListenersList()).isEmpty();
    assertThat(b.getStaticResources().getClustersList()).extracting(c -> c.getName()).containsExactly("tether-xds");
  }

  static Stream<Object[]> usageErrors() {
    return Stream.of(
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "--token", "t", "--zone", "eu west"),
            "--zone 'eu west' is not a DNS name (e.g. rack-1 or eu-west-1a)"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web"),
            "Missing required argument (specify one of these): (--token-file=FILE | --token=TOKEN)"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "--token", "a", "--token-file", "f"),
            "--token-file=FILE, --token=TOKEN are mutually exclusive (specify only one)"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "--token-file", "/nonexistent/agent.token"),
            "--token-file /nonexistent/agent.token cannot be read: no such file"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "--token", " "), "--token is empty"},
        new Object[] {List.of("--namespace", "prod", "--service", "payments:15000", "--token", "t"),
            "--service 'payments:15000' must be NAME:INGRESS_PORT:APP_PORT (e.g. payments:15000:8080) "
                + "or NAME:INGRESS_PORT:APP_HOST:APP_PORT"},
        new Object[] {List.of("--namespace", "prod", "--service", "payments:15000:80800", "--token", "t"),
            "--service payments:15000:80800: APP_PORT 80800 is not a port number (1-65535)"},
        new Object[] {List.of("--namespace", "prod", "--service", "payments:http:8080", "--token", "t"),
            "--service payments:http:8080: INGRESS_PORT 'http' is not a port number (1-65535)"},
        new Object[] {List.of("--namespace", "prod", "--service", "Payments:15000:8080", "--token", "t"),
            "--service Payments:15000:8080: NAME 'Payments' is not a DNS label (lower-case letters, digits and '-', "
                + "at most 63)"},
        new Object[] {List.of("--namespace", "prod", "--service", "payments:8080:8080", "--token", "t"),
            "--service payments:8080:8080: INGRESS_PORT and APP_PORT are both 8080: Envoy and the app beside it "
                + "cannot listen on the same port"},
        new Object[] {List.of("--namespace", "prod", "--service", "a:15000:8080", "--service", "b:15000:8081",
            "--token", "t"), "--service b:15000:8081: INGRESS_PORT 15000 is already service a's INGRESS_PORT"},
        new Object[] {List.of("--namespace", "prod", "--service", "a:15000:8080", "--service", "a:15001:8081",
            "--token", "t"), "--service a:15001:8081: service 'a' is given twice"},
        new Object[] {List.of("--namespace", "prod", "--service", "a:9901:8080", "--token", "t"),
            "--service a:9901:8080: INGRESS_PORT 9901 is already Envoy's --admin-port"},
        new Object[] {List.of("--namespace", "prod", "--service", "a:15000:8080", "--service", "b:15001:15000",
            "--token", "t"), "--service b:15001:15000: APP_PORT 15000 is already service a's INGRESS_PORT"},
        new Object[] {List.of("--namespace", "prod", "--service", "a:15000:app-a:8080", "--service",
            "b:15001:app-b:8080", "--token", "t"), "--service b:15001:app-b:8080: APP_PORT 8080 is already the "
                + "forwarder of service a (an app on APP_HOST is forwarded from 127.0.0.1:APP_PORT)"},
        new Object[] {List.of("--namespace", "prod", "--service", "a:15000:app-a:9901", "--token", "t"),
            "--service a:15000:app-a:9901: APP_PORT 9901 is already Envoy's --admin-port (an app on APP_HOST is "
                + "forwarded from 127.0.0.1:APP_PORT)"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "--admin-port", "0", "--token", "t"),
            "invalid value for --admin-port: '0' must be a port number (1-65535)"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "--xds", "tether.internal", "--token", "t"),
            "--xds 'tether.internal' must be HOST:PORT (e.g. tether.internal:18000, 10.0.0.5:18000 or [fd00::5]:18000)"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "--xds", "tether.internal:0", "--token", "t"),
            "--xds tether.internal:0: PORT 0 is not a port number (1-65535)"},
        new Object[] {List.of("--namespace", "prod", "--token", "t"),
            "--cluster is required without --service: a client-only task's node.cluster is its task family"},
        new Object[] {List.of("--namespace", "Prod", "--cluster", "web", "--token", "t"),
            "--namespace 'Prod' is not a DNS label (lower-case letters, digits and '-', at most 63)"},
        new Object[] {List.of("--namespace", "prod", "--proxyless", "--service", "a:15000:8080", "--token", "t"),
            "--service is for sidecars: a proxyless grpc-java app only calls services"},
        new Object[] {List.of("--namespace", "prod", "--proxyless", "--cluster", "web", "-o", "yaml", "--token", "t"),
            "-o yaml is not available with --proxyless: grpc-java reads a JSON bootstrap"},
        new Object[] {List.of("--namespace", "prod", "--cluster", "web", "-o", "xml", "--token", "t"),
            "invalid value for --output: expected one of [json, yaml] (case-sensitive) but was 'xml'"});
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("usageErrors")
  void mistakenOptionsAreUsageErrorsThatSayWhatIsWrong(List<String> args, String message) {
    List<String> all = new ArrayList<>(List.of("bootstrap"));
    all.addAll(args);
    Cli cli = Cli.run(all.toArray(String[]::new));
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).contains(message);
    assertThat(cli.out()).isEmpty();
  }

  static Bootstrap parseStrictly(String json) throws IOException {
    Bootstrap.Builder b = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(EnvoyBootstrap.typeRegistry()).merge(json, b);
    return b.build();
  }

  private static String yamlToJson(String yaml) throws IOException {
    return new ObjectMapper().writeValueAsString(new YAMLMapper().readTree(yaml));
  }

  private static String[] args(Case c) {
    List<String> all = new ArrayList<>(List.of("bootstrap"));
    all.addAll(List.of(c.args()));
    return all.toArray(String[]::new);
  }
}
