package io.tether.agent.cli;

import io.tether.client.ServerCa;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --xds-ca FILE} of {@code tether agent run} (config key {@code xdsCa}): the sidecar Envoy's xDS
 * cluster speaks TLS, verified against this PEM CA, as {@code agent bootstrap --xds-ca} renders it
 * (docs/cli.md "The xDS address"). Checked against what the control plane says at {@code GET /v1/xds},
 * so that a task never starts an Envoy that cannot get its config: a TLS port needs the CA, a plaintext
 * one refuses it. A proxyless app cannot take it: the {@code tether-bearer} channel credentials of its
 * grpc-java bootstrap are plaintext, and grpc-java's own {@code tls} ones take no CA (only the JVM's).
 */
final class XdsCaOption {
  @Option(names = "--xds-ca", paramLabel = "FILE",
      description = "PEM CA file that the xDS server's certificate is trusted by: Envoy speaks TLS to xDS (needed "
          + "when the control plane advertises a TLS xDS port; not with --proxyless)")
  Path xdsCa;

  /**
   * The CA the sidecar's bootstrap names (absolute: Envoy reads it), or null for plaintext xDS.
   *
   * @param fromFile the config file's {@code xdsCa}, or null
   * @param target where xDS is, and whether the control plane said it speaks TLS there (an explicit
   *     {@code --xds} says nothing about TLS: the CA, if given, is then taken on trust)
   * @param explicit whether the address came from {@code --xds} rather than from the control plane
   * @throws IllegalArgumentException naming the option and what to pass instead
   */
  Path resolve(String fromFile, XdsLookup.XdsTarget target, boolean explicit, boolean proxyless) {
    Path ca = xdsCa != null ? xdsCa : fromFile != null ? Path.of(fromFile) : null;
    String at = target.address().host() + ":" + target.address().port();
    if (ca != null && proxyless) {
      throw new IllegalArgumentException("--xds-ca is not available with --proxyless: the tether-bearer channel "
          + "credentials of the app's grpc-java bootstrap are plaintext; give it a plaintext xDS address with --xds");
    }
    if (target.tls() && ca == null) {
      throw new IllegalArgumentException("the control plane serves xDS over TLS at " + at + " (GET /v1/xds): "
          + (proxyless ? "a --proxyless app's bootstrap speaks plaintext xDS only, give it a plaintext xDS address "
              + "with --xds HOST:PORT" : "pass --xds-ca FILE, the CA that signed its certificate"));
    }
    if (ca == null) {
      return null;
    }
    if (!target.tls() && !explicit) {
      throw new IllegalArgumentException("--xds-ca is given, but the control plane serves plaintext xDS at " + at
          + " (GET /v1/xds): drop --xds-ca, or pass --xds where xDS is served over TLS");
    }
    ServerCa.load("--xds-ca", ca); // a missing file or one without a certificate: one line now, not an Envoy that fails
    return ca.toAbsolutePath();
  }
}
