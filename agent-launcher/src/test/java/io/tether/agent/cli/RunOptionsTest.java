package io.tether.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.agent.Cli;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code tether agent run}'s address options, up to where it would start anything: --server in both
 * forms, the deprecated --control-plane, a YAML --config with server or controlPlane, and the one-line
 * usage error when the xDS address cannot be learned. The API port given has nothing listening.
 */
class RunOptionsTest {
  private final Path dir = TestEtcd.tempDir("run-options");
  private final int closed = Ports.free();

  private Path token() throws Exception {
    return Files.writeString(dir.resolve("token"), "agent-token-0123456789\n");
  }

  private void assertAskedForXdsAt(Cli cli, String url) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(2);
    assertThat(cli.err()).startsWith("error: cannot learn the xDS address from " + url + "/v1/xds (")
        .contains("): pass --xds HOST:PORT").hasLineCount(1);
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void serverHostPortAndTheOldControlPlaneFlagBothReachTheXdsLookup() throws Exception {
    assertAskedForXdsAt(Cli.run("run", "--server", "127.0.0.1:" + closed, "--token-file", token().toString(),
        "-n", "a", "--", "true"), "http://127.0.0.1:" + closed);
    assertAskedForXdsAt(Cli.run("run", "--control-plane", "http://127.0.0.1:" + closed, "--token-file",
        token().toString(), "--namespace", "a", "--", "true"), "http://127.0.0.1:" + closed);
  }

  @Test
  void aYamlConfigTakesServerAndItsOldNameControlPlane() throws Exception {
    Path server = Files.writeString(dir.resolve("task.yaml"), "server: 127.0.0.1:" + closed + "\nnamespace: a\n"
        + "tokenFile: " + token() + "\napp: [\"true\"]\n");
    assertAskedForXdsAt(Cli.run("run", "--config", server.toString()), "http://127.0.0.1:" + closed);
    Path old = Files.writeString(dir.resolve("old.yml"), "controlPlane: http://localhost:" + closed + "\n"
        + "namespace: a\ntokenFile: " + token() + "\napp: [\"true\"]\n");
    assertAskedForXdsAt(Cli.run("run", "--config", old.toString()), "http://localhost:" + closed);
  }

  @Test
  void certificateFilesAreForProxylessApps() throws Exception {
    String[] base = {"run", "--server", "127.0.0.1:" + closed, "--xds", "127.0.0.1:18000", "--token-file",
        token().toString(), "-n", "a"};
    String certs = dir.resolve("certs").toString();
    assertUsage(Cli.run(with(base, "--certs-dir", certs, "--identity", "checkout", "--", "true")),
        "error: --certs-dir is for --proxyless apps: an Envoy sidecar gets its certificates over SDS");
    assertUsage(Cli.run(with(base, "--proxyless", "--identity", "checkout", "--", "true")),
        "error: --identity needs --certs-dir: it names the identity of the app's certificate");
    assertUsage(Cli.run(with(base, "--proxyless", "--certs-dir", certs, "--identity", "Check_out", "--", "true")),
        "error: --identity 'Check_out' is not a DNS label");
  }

  private static String[] with(String[] base, String... more) {
    String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }

  private static void assertUsage(Cli cli, String line) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(2);
    assertThat(cli.err()).startsWith(line).hasLineCount(1);
  }

  @Test
  void badLabelsRefuseToStartNamingWhereTheyCameFrom() throws Exception {
    String[] base = {"run", "--server", "127.0.0.1:" + closed, "--token-file", token().toString(), "-n", "a"};
    assertUsage(Cli.run(with(base, "--label", "tether.io/tls=mesh", "--", "true")),
        "error: --label: keys under tether.io/ are reserved");
    assertUsage(Cli.run(with(base, "--label", "version", "--", "true")),
        "error: --label 'version' is not KEY=VALUE (e.g. version=v2)");
    assertUsage(Cli.run(with(base, "--label", "version=v 2", "--", "true")),
        "error: --label.version must be 1 to 63 letters, digits, '.', '_' or '-'");
    Path config = Files.writeString(dir.resolve("labels.yaml"), "server: 127.0.0.1:" + closed + "\nnamespace: a\n"
        + "tokenFile: " + token() + "\nlabels: {version: [v2]}\napp: [\"true\"]\n");
    assertUsage(Cli.run("run", "--config", config.toString()), "error: labels.version in --config must be a string");
  }

  @Test
  void mistakesAreOneLineUsageErrors() throws Exception {
    Cli scheme = Cli.run("run", "--server", "tcp://127.0.0.1:8700", "--token-file", token().toString(), "-n", "a",
        "--", "true");
    assertThat(scheme.exitCode()).isEqualTo(2);
    assertThat(scheme.err()).contains("--server 'tcp://127.0.0.1:8700' must be HOST:PORT or http(s)://HOST:PORT")
        .hasLineCount(1);
    Cli missing = Cli.run("run", "--config", dir.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file: " + dir.resolve("nope.yaml")).hasLineCount(1);
    Cli noToken = Cli.run("run", "--server", "127.0.0.1:8700", "--token-file", dir.resolve("none").toString(),
        "-n", "a", "--", "true");
    assertThat(noToken.err()).contains("--token-file " + dir.resolve("none") + " cannot be read: no such file");
  }
}
