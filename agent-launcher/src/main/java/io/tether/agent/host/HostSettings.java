package io.tether.agent.host;

import io.tether.agent.relay.SourceFilter;
import io.tether.model.VipRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the host agent runs with, checked and typed ({@link HostConfigLoader} makes it from a
 * {@link HostConfig}), in groups that each say one thing.
 *
 * @param workDir where the egress Envoy's bootstrap and log go; null for a new private one
 */
public record HostSettings(ControlPlane controlPlane, Identity identity, Relay relay, Names names, Ecs ecs,
    Egress egress, Path workDir) {

  /**
   * The control plane, and the namespace's agent token for it.
   *
   * @param serverCa the CA an https {@code restApi}'s certificate is trusted by, or null for the JVM's CAs
   * @param xdsHost null until known: the config file's {@code xds}, else what the control plane advertises
   * @param xdsCaFile the CA of the xDS server's certificate, or null for plaintext
   */
  public record ControlPlane(URI restApi, Path serverCa, String xdsHost, int xdsPort, Path xdsCaFile, String token) {
    /** The same with the xDS address the control plane advertised. */
    public ControlPlane withXds(String host, int port) {
      return new ControlPlane(restApi, serverCa, host, port, xdsCaFile, token);
    }
  }

  /**
   * Who this host is in the mesh: what {@code GET /tether/host} tells the task agents.
   *
   * @param zone null when none is configured
   */
  public record Identity(String namespace, String address, String zone) {}

  /** Where the task agents reach the host agent, and who may. */
  public record Relay(List<InetAddress> listen, SourceFilter allowedSources, int apiPort, int xdsPort) {
    public Relay {
      listen = List.copyOf(listen);
    }
  }

  /**
   * How the tasks resolve aliases.
   *
   * @param dns where the DNS server listens, or null for none
   * @param hostsFile the hosts file kept current, or null for none
   * @param refresh how often the aliases are read from the registry
   */
  public record Names(InetSocketAddress dns, VipRange vipRange, Path hostsFile, Duration refresh) {}

  /** The ECS agent's introspection API, and how often it is read. */
  public record Ecs(URI agent, Duration poll) {}

  /**
   * The host's egress Envoy.
   *
   * @param envoyBin null to look for one ({@code $ENVOY_BIN}, PATH)
   */
  public record Egress(Path envoyBin, int adminPort) {}

  public HostSettings {
    Objects.requireNonNull(controlPlane, "controlPlane");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(ecs, "ecs");
    Objects.requireNonNull(egress, "egress");
  }

  public HostSettings withControlPlane(ControlPlane cp) {
    return new HostSettings(cp, identity, relay, names, ecs, egress, workDir);
  }

  public String namespace() {
    return identity.namespace();
  }
}
