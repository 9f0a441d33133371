package io.tether.agent.ecs;

import io.tether.agent.metrics.MetricsEndpoint;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code tether agent ecs-task} is told by its container's environment (docs/ecs.md, "Task
 * agent"), validated by {@link EcsEnvironment}.
 *
 * @param metadataUri {@code $ECS_CONTAINER_METADATA_URI_V4}: this container's task metadata endpoint
 * @param hostAgent {@code TETHER_HOST_AGENT}, or null for the network mode's default
 * @param direct the control plane, for awsvpc tasks (which reach no host agent); null otherwise
 * @param adminPort Envoy's admin port on 127.0.0.1
 * @param drainTime how long Envoy drains its listeners once the task is stopping
 * @param leaseTtlSeconds how long an endpoint outlives a silent agent
 * @param metadataPoll how often the task metadata is read
 * @param metrics the task's GET /metrics (docs/task-metrics.md): {@code TETHER_METRICS_PORT}, {@code TETHER_METRICS_ADDRESS}
 * @param labels {@code TETHER_LABELS} ({@code version=v2,track=canary}): what every endpoint of the task is
 *     registered with, for subsets to select it
 */
public record EcsSettings(URI metadataUri, String namespace, List<EcsService> services, HostPort hostAgent,
    Direct direct, int adminPort, Duration drainTime, int leaseTtlSeconds, Duration metadataPoll,
    MetricsEndpoint.Settings metrics, java.util.Map<String, String> labels) {

  /** Without labels. */
  public EcsSettings(URI metadataUri, String namespace, List<EcsService> services, HostPort hostAgent, Direct direct,
      int adminPort, Duration drainTime, int leaseTtlSeconds, Duration metadataPoll, MetricsEndpoint.Settings metrics) {
    this(metadataUri, namespace, services, hostAgent, direct, adminPort, drainTime, leaseTtlSeconds, metadataPoll,
        metrics, java.util.Map.of());
  }

  /** The port the host agent serves {@code /tether/host} and the REST relay on, unless TETHER_HOST_AGENT says otherwise. */
  public static final int HOST_AGENT_PORT = 15101;

  /**
   * An awsvpc task's own way to the control plane: {@code TETHER_SERVER} (old name
   * {@code TETHER_CONTROL_PLANE}), {@code TETHER_XDS} and the agent token {@code TETHER_TOKEN} (from the
   * task definition's {@code secrets}).
   *
   * @param xds null when TETHER_XDS is not set: the control plane's {@code GET /v1/xds} says, at start
   * @param serverCa {@code TETHER_SERVER_CA}: the CA an https TETHER_SERVER's certificate is trusted by; null
   *     for the JVM's CAs
   * @param xdsCa {@code TETHER_XDS_CA}: when set, the sidecar Envoy's xDS goes over TLS verified against this
   *     CA (a file in the tether-sidecar container, where Envoy runs); null for plaintext
   */
  public record Direct(URI controlPlane, HostPort xds, String token, Path serverCa, Path xdsCa) {
    /** Plaintext xDS, and the JVM's CAs for an https control plane. */
    public Direct(URI controlPlane, HostPort xds, String token) {
      this(controlPlane, xds, token, null, null);
    }

    @Override
    public String toString() {
      return "Direct[controlPlane=" + controlPlane + ", xds=" + xds + ", token=(hidden), serverCa=" + serverCa
          + ", xdsCa=" + xdsCa + "]";
    }
  }

  public EcsSettings {
    services = List.copyOf(services);
    labels = labels == null ? java.util.Map.of() : labels;
  }
}
