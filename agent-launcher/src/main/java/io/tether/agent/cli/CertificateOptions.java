package io.tether.agent.cli;

import io.tether.agent.TaskSettings;
import io.tether.model.Names;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --certs-dir} and {@code --identity} of {@code tether agent run} (config keys {@code certsDir},
 * {@code identity}): where a proxyless app's mutual TLS files go, and whose identity they carry
 * (docs/security.md "Proxyless gRPC").
 */
final class CertificateOptions {
  @Option(names = "--certs-dir", paramLabel = "DIR",
      description = "With --proxyless: keep the app's mutual TLS files here (cert.pem, key.pem, ca.pem: a key made "
          + "on this host, signed by the mesh CA, renewed at half its life) and name them in its bootstrap")
  Path certsDir;

  @Option(names = "--identity", paramLabel = "NAME",
      description = "With --certs-dir and no --service: the service whose identity the app calls as, e.g. checkout "
          + "(default: the namespace's anonymous client)")
  String identity;

  /**
   * The certificate files of a proxyless app, or null: for the served service's identity ({@code service},
   * may be null), else {@code --identity}'s, else the namespace's anonymous client's.
   *
   * @param dirFromFile the config file's {@code certsDir}, or null
   * @param identityFromFile the config file's {@code identity}, or null
   * @throws IllegalArgumentException naming the option
   */
  TaskSettings.Certificates resolve(String dirFromFile, String identityFromFile, boolean proxyless, String service) {
    Path dir = certsDir != null ? certsDir : dirFromFile != null ? Path.of(dirFromFile) : null;
    String callAs = identity != null ? identity : identityFromFile;
    require(callAs == null || dir != null, "--identity needs --certs-dir: it names the identity of the app's certificate");
    if (dir == null) {
      return null;
    }
    require(proxyless, "--certs-dir is for --proxyless apps: an Envoy sidecar gets its certificates over SDS");
    require(service == null || callAs == null || callAs.equals(service), "--identity " + callAs
        + " differs from --service " + service + ": a task serving a service calls as that service");
    String name = service != null ? service : callAs;
    require(name == null || Names.isLabel(name), "--identity '" + name + "' is not a DNS label");
    return new TaskSettings.Certificates(dir, name);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
