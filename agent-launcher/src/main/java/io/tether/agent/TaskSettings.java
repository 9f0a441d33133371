package io.tether.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code tether agent run} needs for one task, resolved from flags or a config file.
 *
 * @param service the discovery name the task serves, or null for a client-only task
 * @param address where other hosts reach this task (its host's address; null for a client-only task)
 * @param healthCheck {@code http:/path}, {@code tcp}, {@code grpc} or {@code none}
 * @param workDir where bootstraps and Envoy's log go; null for a new private one in the system temp directory
 */
public record TaskSettings(
    URI controlPlane, String xdsHost, int xdsPort, String token, String namespace,
    String service, Integer appPort, int ingressPort, String address, String zone, String taskId, String host,
    String healthCheck, HealthTiming healthTiming, Path envoyBin, int adminPort, Duration drainTime,
    Duration stopGrace, Duration startTimeout, int envoyRestarts, Duration envoyBackoff,
    Path hostsFile, boolean proxyless, int leaseTtlSeconds, Path workDir, List<String> appCommand) {

  /** How often and how strictly the app is checked: the service's healthCheck policy. */
  public record HealthTiming(Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {
    public static final HealthTiming DEFAULT = new HealthTiming(Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3);
  }

  public TaskSettings {
    appCommand = List.copyOf(appCommand);
  }

  public String nodeId() {
    return (service != null ? service : namespace) + "-" + taskId;
  }

  /** The port callers reach this task on: Envoy's ingress listener, or the app itself when proxyless. */
  public int registeredPort() {
    return proxyless ? appPort : ingressPort;
  }
}
