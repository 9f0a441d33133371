package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.testing.SelfSignedCert;
import io.tether.model.VipRange;
import io.tether.registry.testing.TestEtcd;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The host agent's config file: the defaults of what is left out, and every bad value refused with what to change. */
class HostConfigTest {
  private final Path dir = TestEtcd.tempDir("host-config");
  private final Path token = write("agent.token", "agent-a-token-0123456789\n");

  private Path write(String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, content);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The three required fields, and an address so that the host's own does not matter; then {@code more}. */
  private Path config(String more) {
    return write("host.yaml", "server: tether.internal:8700\ntokenFile: " + token
        + "\nnamespace: prod\naddress: 10.0.1.17\n" + more);
  }

  @Test
  void whatIsLeftOutTakesTheDocumentedDefaults() throws Exception {
    HostSettings s = HostConfigLoader.load(config(""));

    assertThat(s.controlPlane().restApi().toString()).isEqualTo("http://tether.internal:8700");
    assertThat(s.controlPlane().xdsHost()).as("asked of the control plane at start").isNull();
    assertThat(s.controlPlane().xdsCaFile()).isNull();
    assertThat(s.controlPlane().token()).isEqualTo("agent-a-token-0123456789");
    assertThat(s.identity()).isEqualTo(new HostSettings.Identity("prod", "10.0.1.17", null));
    assertThat(s.relay().listen()).extracting(java.net.InetAddress::getHostAddress).containsExactly("127.0.0.1", "172.17.0.1");
    assertThat(s.relay().allowedSources().describe()).isEqualTo("127.0.0.0/8, 172.17.0.0/16");
    assertThat(List.of(s.relay().apiPort(), s.relay().xdsPort(), s.egress().adminPort())).containsExactly(15101, 15102, 15100);
    assertThat(s.names().dns()).isEqualTo(new InetSocketAddress("172.17.0.1", 53));
    assertThat(s.names().vipRange()).isEqualTo(VipRange.parse("100.127.0.0/16"));
    assertThat(s.names().hostsFile()).isEqualTo(Path.of("/etc/hosts"));
    assertThat(s.names().refresh()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.ecs().agent().toString()).isEqualTo("http://127.0.0.1:51678");
    assertThat(s.ecs().poll()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.egress().envoyBin()).isNull();
    assertThat(s.workDir()).isNull();
  }

  @Test
  void everyFieldGivenIsTaken() throws Exception {
    Path ca = write("ca.pem", "not checked here");
    HostSettings s = HostConfigLoader.load(config("zone: rack-1\nxds: '[fd00::5]:18001'\nxdsCaFile: " + ca
        + "\nlisten: ['::1']\nallowedSources: ['::1/128']\napiPort: 16101\nxdsPort: 16102\ndns: none\n"
        + "vipRange: 100.64.0.0/16\nhostsFile: none\necsAgent: http://127.0.0.1:51679/\necsPollMs: 250\n"
        + "namesRefreshMs: 500\nadminPort: 9903\nworkDir: /var/lib/tether/host\n"));

    assertThat(s.identity().zone()).isEqualTo("rack-1");
    assertThat(s.controlPlane().xdsHost()).isEqualTo("fd00::5");
    assertThat(s.controlPlane().xdsPort()).isEqualTo(18001);
    assertThat(s.controlPlane().xdsCaFile()).isEqualTo(ca);
    assertThat(s.relay().listen()).extracting(java.net.InetAddress::getHostAddress).containsExactly("0:0:0:0:0:0:0:1");
    assertThat(s.names().dns()).isNull();
    assertThat(s.names().hostsFile()).isNull();
    assertThat(s.names().vipRange().cidr()).isEqualTo("100.64.0.0/16");
    assertThat(s.ecs().poll()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.egress().adminPort()).isEqualTo(9903);
    assertThat(s.workDir()).isEqualTo(Path.of("/var/lib/tether/host"));
  }

  @Test
  void jsonIsReadToo() throws Exception {
    Path json = write("host.json", "{\"controlPlane\": \"http://10.0.0.5:8700\", \"tokenFile\": \"" + token
        + "\", \"namespace\": \"prod\", \"address\": \"10.0.1.17\", \"dns\": \"none\"}");

    assertThat(HostConfigLoader.load(json).controlPlane().restApi().toString()).isEqualTo("http://10.0.0.5:8700");
  }

  @Test
  void serverTakesEveryFormOfServerAndControlPlaneIsItsOldName() throws Exception {
    Path url = write("url.yaml", "server: https://[fd00::5]:8700/\ntokenFile: " + token + "\nnamespace: prod\naddress: 10.0.1.17\n");
    Path old = write("old.yaml", "controlPlane: http://tether.internal:8700\ntokenFile: " + token
        + "\nnamespace: prod\naddress: 10.0.1.17\n");

    assertThat(HostConfigLoader.load(url).controlPlane().restApi().toString()).isEqualTo("https://[fd00::5]:8700");
    assertThat(HostConfigLoader.load(old).controlPlane().restApi().toString()).isEqualTo("http://tether.internal:8700");
    Path both = config("controlPlane: http://tether.internal:8700\n");
    assertThatThrownBy(() -> HostConfigLoader.load(both)).hasMessage(both + ": server and controlPlane are both given: "
        + "controlPlane is the old name of server, keep one of them");
    Path neither = write("neither.yaml", "tokenFile: " + token + "\nnamespace: prod\n");
    assertThatThrownBy(() -> HostConfigLoader.load(neither)).hasMessageContaining("server is required: the Tether REST "
        + "API, e.g. tether.internal:8700");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("listenn: [127.0.0.1]", "unknown field 'listenn': did you mean 'listen'? (the fields are: server, controlPlane, serverCa, tokenFile"),
        Arguments.of("apiPort: 15101\napiPort: 15103", "uplicate field 'apiPort'"),
        Arguments.of("apiPort: '15101'", "apiPort must be an integer"),
        Arguments.of("apiPort: 0", "apiPort 0 is not a port number (1-65535)"),
        Arguments.of("xdsPort: 15101", "apiPort and xdsPort are both 15101"),
        Arguments.of("adminPort: 15102", "adminPort 15102 is also apiPort or xdsPort"),
        Arguments.of("listen: 127.0.0.1", "listen must be an array"),
        Arguments.of("listen: []", "listen must name at least one address"),
        Arguments.of("listen: [docker0]", "listen[0] 'docker0' is not an IP address"),
        Arguments.of("listen: [127.0.0.1, 127.0.0.1]", "listen[1] 127.0.0.1 is listed twice"),
        Arguments.of("allowedSources: [172.17.0.1/16]", "allowedSources[0] '172.17.0.1/16' has bits set after its /16 "
            + "prefix: did you mean 172.17.0.0/16?"),
        Arguments.of("allowedSources: [10.0.0.0/33]", "allowedSources[0] '10.0.0.0/33': the prefix length must be 0 to 32"),
        Arguments.of("allowedSources: [anywhere]", "allowedSources[0] 'anywhere' is not a CIDR block"),
        Arguments.of("dns: bridge", "dns 'bridge' is not an IP address"),
        Arguments.of("dns: '172.17.0.1:99999'", "dns '172.17.0.1:99999' must be HOST:PORT with a port from 1 to 65535"),
        Arguments.of("vipRange: 127.0.0.0/16", "vipRange '127.0.0.0/16' is loopback"),
        Arguments.of("vipRange: 100.127.0.0/24", "must be an IPv4 /16 written P.Q.0.0/16"),
        Arguments.of("xds: tether.internal", "xds 'tether.internal' must be HOST:PORT"),
        Arguments.of("serverCa: /nonexistent/ca.pem", "serverCa: no such file: /nonexistent/ca.pem"),
        Arguments.of("xdsCaFile: /nonexistent/ca.pem", "xdsCaFile /nonexistent/ca.pem is not a readable file"),
        Arguments.of("zone: 'rack 1'", "zone 'rack 1' is not a DNS name"),
        Arguments.of("ecsAgent: 127.0.0.1:51678", "ecsAgent '127.0.0.1:51678' must be an http:// or https:// URL"),
        Arguments.of("ecsPollMs: 10", "ecsPollMs 10 must be between 100 and 60000"),
        Arguments.of("hostsFile: /tmp", "hostsFile /tmp is a directory"),
        Arguments.of("envoyBin: /nonexistent/envoy", "envoyBin /nonexistent/envoy is not an executable file"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void aBadValueIsRefusedNamingTheFileTheFieldAndWhatToWrite(String line, String message) {
    Path file = config(line + "\n");

    assertThatThrownBy(() -> HostConfigLoader.load(file)).isInstanceOf(HostConfigException.class)
        .hasMessageStartingWith(file + ": ").hasMessageContaining(message);
  }

  @Test
  void serverCaIsReadAtLoadSoThatAFileWithoutACertificateStopsTheAgentThen() throws Exception {
    SelfSignedCert pem = SelfSignedCert.for127001();
    assertThat(HostConfigLoader.load(config("serverCa: " + pem.cert() + "\n")).controlPlane().serverCa())
        .isEqualTo(pem.cert());
    assertThat(HostConfigLoader.load(config("")).controlPlane().serverCa()).as("the JVM's CAs").isNull();

    Path notPem = write("not.pem", "not a certificate\n");
    Path file = config("serverCa: " + notPem + "\n");
    assertThatThrownBy(() -> HostConfigLoader.load(file)).isInstanceOf(HostConfigException.class)
        .hasMessageStartingWith(file + ": serverCa " + notPem + " ");
    Path key = config("serverCa: " + pem.key() + "\n");
    assertThatThrownBy(() -> HostConfigLoader.load(key)).as("a key, not a certificate")
        .hasMessageStartingWith(key + ": serverCa " + pem.key() + " ");
  }

  @Test
  void aBadRequiredFieldIsRefusedToo() {
    Path noToken = write("a.yaml", "controlPlane: http://tether.internal:8700\nnamespace: prod\n");
    Path badUrl = write("b.yaml", "controlPlane: tether.internal\ntokenFile: " + token + "\nnamespace: prod\n");
    Path badServer = write("f.yaml", "server: ftp://tether.internal:8700\ntokenFile: " + token + "\nnamespace: prod\n");
    Path badNamespace = write("c.yaml", "controlPlane: http://t:8700\ntokenFile: " + token + "\nnamespace: Prod\n");
    Path missingToken = write("d.yaml", "controlPlane: http://t:8700\ntokenFile: " + dir.resolve("none") + "\nnamespace: a\n");
    Path notAMap = write("e.yaml", "- controlPlane\n");

    assertThatThrownBy(() -> HostConfigLoader.load(noToken)).hasMessageContaining("tokenFile is required");
    assertThatThrownBy(() -> HostConfigLoader.load(badUrl)).hasMessageContaining("controlPlane 'tether.internal' "
        + "must be HOST:PORT or http(s)://HOST:PORT");
    assertThatThrownBy(() -> HostConfigLoader.load(badServer)).hasMessageContaining("server 'ftp://tether.internal:8700' "
        + "must be HOST:PORT or http(s)://HOST:PORT");
    assertThatThrownBy(() -> HostConfigLoader.load(badNamespace)).hasMessageContaining("namespace 'Prod' is not a DNS label");
    assertThatThrownBy(() -> HostConfigLoader.load(missingToken)).hasMessageContaining("tokenFile " + dir.resolve("none")
        + ": no such file");
    assertThatThrownBy(() -> HostConfigLoader.load(notAMap)).hasMessageContaining("must be a YAML or JSON object");
    assertThatThrownBy(() -> HostConfigLoader.load(dir.resolve("absent.yaml"))).hasMessageContaining("no such file");
  }

  @Test
  void aTokenFileOthersCanReadIsWarnedAboutButWorks() throws Exception {
    Path shared = write("shared.token", "agent-a-token-0123456789");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));

    AgentTokenFile.Token read = AgentTokenFile.read(shared);

    assertThat(read.value()).isEqualTo("agent-a-token-0123456789");
    assertThat(read.warning()).contains("readable by its group or by others", "chmod 600 " + shared);
    assertThat(AgentTokenFile.read(token).warning()).isNull();
  }
}
