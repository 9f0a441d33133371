package io.tether.agent;

import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.ServedPort;
import io.tether.agent.metrics.MetricsEndpoint;
import io.tether.agent.metrics.ServiceConnectMetrics;
import io.tether.model.HealthCheck;
import io.tether.model.Policies;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything {@code tether agent run} needs for one task, resolved from flags or a config file, in groups
 * that each say one thing: where the control plane is, who the task is, its ports, how its app is
 * checked, how Envoy is kept up, and how long each step of its life may take.
 *
 * @param hostsFile where client aliases go; null to write none
 * @param workDir where bootstraps and Envoy's log go; null for a new private one in the system temp directory
 * @param certificates a proxyless app's certificate files ({@code --certs-dir}); null for none
 */
public record TaskSettings(ControlPlane controlPlane, Identity identity, Ports ports, AppHealth health, Envoy envoy,
    Timings timings, Path hostsFile, boolean proxyless, Certificates certificates, Path workDir, Metrics metrics,
    List<String> appCommand) {

  /**
   * Where a proxyless app's certificate files go, and the identity they are signed for (docs/security.md
   * "Proxyless gRPC").
   *
   * @param identity the discoveryName whose SPIFFE ID the leaf carries: the served service, else {@code
   *     --identity}; null for the namespace's anonymous client
   */
  public record Certificates(Path dir, String identity) {}

  /**
   * The control plane: its REST API, its xDS server, and the namespace's agent token for both.
   *
   * @param restApi e.g. {@code http://10.0.0.5:8700}
   * @param xdsCaFile when set, the sidecar's xDS goes over TLS verified against this CA ({@code --xds-ca})
   */
  public record ControlPlane(URI restApi, String xdsHost, int xdsPort, Path xdsCaFile, String token) {}

  /**
   * Who the task is in the mesh.
   *
   * @param service the discovery name the task serves, or null for a client-only task
   * @param address where other hosts reach this task (its host's address; null for a client-only task)
   * @param host this host's name, registered with the endpoint
   * @param labels what the endpoint is registered with for subsets to select it ({@code --label version=v2})
   */
  public record Identity(String namespace, String service, String taskId, String address, String zone, String host,
      java.util.Map<String, String> labels) {
    public Identity {
      labels = labels == null ? java.util.Map.of() : labels;
    }
  }

  /**
   * The task's ports.
   *
   * @param app the port the app listens on; null for a client-only task
   * @param ingress Envoy's ingress listener
   * @param admin Envoy's admin port on 127.0.0.1
   */
  public record Ports(Integer app, int ingress, int admin) {}

  /**
   * How the app is checked.
   *
   * @param check {@code http:/path}, {@code tcp}, {@code grpc} or {@code none}
   */
  public record AppHealth(String check, HealthTiming timing) {}

  /** How often and how strictly the app is checked: the service's healthCheck policy. */
  public record HealthTiming(Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {
    /** The timing of a healthCheck policy; Service Connect's ({@link Policies}) when there is none. */
    public static HealthTiming of(HealthCheck policy) {
      if (policy == null) {
        return new HealthTiming(Duration.ofSeconds(Policies.HEALTH_INTERVAL_SECONDS),
            Duration.ofSeconds(Policies.HEALTH_TIMEOUT_SECONDS), Policies.HEALTHY_THRESHOLD, Policies.UNHEALTHY_THRESHOLD);
      }
      return new HealthTiming(Duration.ofSeconds(policy.intervalSeconds()), Duration.ofSeconds(policy.timeoutSeconds()),
          policy.healthyThreshold(), policy.unhealthyThreshold());
    }
  }

  /**
   * Which Envoy runs, and how hard the agent tries to keep it up.
   *
   * @param bin the Envoy binary; null to look for one
   * @param restarts crashes in a row before the task fails
   * @param backoff the first restart delay, doubling
   */
  public record Envoy(Path bin, int restarts, Duration backoff) {}

  /**
   * How long each step of the task's life may take.
   *
   * @param drainTime how long Envoy drains before the app is stopped
   * @param stopGrace between SIGTERM and SIGKILL for the app (and for Envoy)
   * @param startTimeout how long the app has to become healthy
   * @param leaseTtlSeconds how long the endpoint outlives a silent agent
   */
  public record Timings(Duration drainTime, Duration stopGrace, Duration startTimeout, int leaseTtlSeconds) {}

  /**
   * The task's Service Connect metrics (docs/task-metrics.md).
   *
   * @param grpc whether the served service's appProtocol is grpc (its requests also count as GrpcRequestCount)
   */
  public record Metrics(MetricsEndpoint.Settings endpoint, boolean grpc) {}

  public TaskSettings {
    Objects.requireNonNull(controlPlane, "controlPlane");
    Objects.requireNonNull(identity, "identity");
    appCommand = List.copyOf(appCommand);
  }

  public String service() {
    return identity.service();
  }

  public String namespace() {
    return identity.namespace();
  }

  public String nodeId() {
    return (service() != null ? service() : namespace()) + "-" + identity.taskId();
  }

  /** Who the task is in its metrics' labels. */
  ServiceConnectMetrics.Task metricsTask() {
    return new ServiceConnectMetrics.Task(namespace(), service(), metrics.grpc() ? Set.of(service()) : Set.of());
  }

  /** The port callers reach this task on: Envoy's ingress listener, or the app itself when proxyless. */
  public int registeredPort() {
    return proxyless ? ports.app() : ports.ingress();
  }

  /** The bootstrap of the task's Envoy (or, proxyless, of its app): it serves its service, if any, unless proxyless. */
  BootstrapSpec bootstrap() {
    List<ServedPort> served = service() != null && !proxyless
        ? List.of(new ServedPort(service(), ports.ingress(), ports.app())) : List.of();
    return new BootstrapSpec(nodeId(), service() != null ? service() : namespace(), namespace(), served,
        controlPlane.xdsHost(), controlPlane.xdsPort(), controlPlane.token(), ports.admin(),
        controlPlane.xdsCaFile() == null ? null : controlPlane.xdsCaFile().toString()).withZone(identity.zone());
  }
}
