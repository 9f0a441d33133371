package io.tether.agent.inject;

import io.tether.agent.metrics.MetricsEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code tether agent inject} is asked to add. A null field was not given: the task agent's own
 * default applies, and the injected definition does not spell it out.
 *
 * @param namespace the Tether namespace of the task's services
 * @param services the services the task serves
 * @param sidecarImage the {@code tether-sidecar} image: Envoy, a JRE and the agent as its entrypoint
 * @param adminPort Envoy's admin port on 127.0.0.1 ({@code TETHER_ADMIN_PORT}), also the health check's target
 * @param drainSeconds {@code TETHER_DRAIN_SECONDS}; the sidecar's {@code stopTimeout} is this plus 10 s
 * @param leaseTtl {@code TETHER_LEASE_TTL}, seconds
 * @param hostAgent bridge and host modes: {@code HOST:PORT} of the host agent ({@code TETHER_HOST_AGENT})
 * @param hostDns bridge mode: the host agent's DNS server, the other containers' first {@code dnsServers}
 * @param launchType EXTERNAL refuses awsvpc, which ECS Anywhere does not have
 * @param controlPlane awsvpc mode: Tether's REST API as the task reaches it ({@code TETHER_SERVER})
 * @param xds awsvpc mode: {@code HOST:PORT} of Tether's xDS ({@code TETHER_XDS}); default none: the sidecar
 *     asks the control plane ({@code GET /v1/xds}) at start
 * @param metricsPort the sidecar's {@code GET /metrics} port ({@code TETHER_METRICS_PORT}); 0 for none; null for
 *     the agent's default, 9902
 * @param metricsPortMapping bridge mode: publish the metrics port on a dynamic host port (the default)
 * @param tokenSecret awsvpc mode: the Secrets Manager secret or SSM parameter (ARN or name) holding the agent
 *     token; ECS puts it in the sidecar's environment as {@code TETHER_TOKEN}, so it is never in the definition
 * @param labels {@code TETHER_LABELS}: the labels every endpoint of the task is registered with,
 *     {@code version=v2,track=canary} (checked by the registry's rules); null for none
 */
public record InjectOptions(String namespace, List<ServiceRequest> services, String sidecarImage, Integer adminPort,
    Integer drainSeconds, Integer leaseTtl, String hostAgent, String hostDns, LaunchType launchType,
    URI controlPlane, String xds, Integer metricsPort, boolean metricsPortMapping, String tokenSecret, String labels) {
  public static final String DEFAULT_SIDECAR_IMAGE = "tether/sidecar:0.1.0";
  public static final int DEFAULT_ADMIN_PORT = 9901;
  public static final int DEFAULT_DRAIN_SECONDS = 5;
  public static final String DEFAULT_HOST_DNS = "172.17.0.1";

  public InjectOptions {
    Objects.requireNonNull(namespace, "namespace");
    services = List.copyOf(services);
    Objects.requireNonNull(sidecarImage, "sidecarImage");
  }

  int effectiveAdminPort() {
    return adminPort != null ? adminPort : DEFAULT_ADMIN_PORT;
  }

  int effectiveDrainSeconds() {
    return drainSeconds != null ? drainSeconds : DEFAULT_DRAIN_SECONDS;
  }

  int effectiveMetricsPort() {
    return metricsPort != null ? metricsPort : MetricsEndpoint.Settings.DEFAULT_PORT;
  }

  String effectiveHostDns() {
    return hostDns != null ? hostDns : DEFAULT_HOST_DNS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String namespace;
    private final List<ServiceRequest> services = new ArrayList<>();
    private String sidecarImage = DEFAULT_SIDECAR_IMAGE;
    private Integer adminPort;
    private Integer drainSeconds;
    private Integer leaseTtl;
    private String hostAgent;
    private String hostDns;
    private LaunchType launchType;
    private URI controlPlane;
    private String xds;
    private String tokenSecret;
    private String labels;
    private Integer metricsPort;
    private boolean metricsPortMapping = true;

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder service(ServiceRequest service) {
      services.add(service);
      return this;
    }

    public Builder sidecarImage(String image) {
      this.sidecarImage = image;
      return this;
    }

    public Builder adminPort(Integer port) {
      this.adminPort = port;
      return this;
    }

    public Builder drainSeconds(Integer seconds) {
      this.drainSeconds = seconds;
      return this;
    }

    public Builder leaseTtl(Integer seconds) {
      this.leaseTtl = seconds;
      return this;
    }

    public Builder hostAgent(String hostPort) {
      this.hostAgent = hostPort;
      return this;
    }

    public Builder hostDns(String ip) {
      this.hostDns = ip;
      return this;
    }

    public Builder launchType(LaunchType launchType) {
      this.launchType = launchType;
      return this;
    }

    public Builder controlPlane(URI url) {
      this.controlPlane = url;
      return this;
    }

    public Builder xds(String hostPort) {
      this.xds = hostPort;
      return this;
    }

    public Builder metricsPort(Integer port) {
      this.metricsPort = port;
      return this;
    }

    public Builder metricsPortMapping(boolean mapped) {
      this.metricsPortMapping = mapped;
      return this;
    }

    /** {@code --label} pairs, as {@code TETHER_LABELS} carries them; IllegalArgumentException when one is bad. */
    public Builder labels(List<String> pairs) {
      this.labels = pairs == null || pairs.isEmpty() ? null : String.join(",",
          io.tether.agent.registry.EndpointLabels.parse("--label", pairs).entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue()).toList());
      return this;
    }

    public Builder tokenSecret(String tokenSecret) {
      this.tokenSecret = tokenSecret;
      return this;
    }

    public InjectOptions build() {
      return new InjectOptions(namespace, services, sidecarImage, adminPort, drainSeconds, leaseTtl, hostAgent,
          hostDns, launchType, controlPlane, xds, metricsPort, metricsPortMapping, tokenSecret, labels);
    }
  }
}
