package io.tether.agent.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code tether agent inject} is asked to add.
 *
 * @param namespace the Tether namespace of the task's services
 * @param services the services the task serves (empty: its sidecar only calls others)
 * @param xdsHost the control plane's xDS address as the Envoy container reaches it
 * @param xdsCaFile when set, xDS over TLS verified against this CA file inside the Envoy container
 * @param tokenSecret the Secrets Manager secret or SSM parameter (ARN or name) holding the agent token;
 *     ECS injects it into the Envoy container, so the token never appears in the task definition
 * @param envoyImage an Envoy image with /bin/sh and bash (the official envoyproxy/envoy images)
 * @param adminPort Envoy's admin port on 127.0.0.1, also its health check's target
 */
public record InjectOptions(String namespace, List<ServiceRequest> services, String xdsHost, int xdsPort,
    String xdsCaFile, String tokenSecret, String envoyImage, int adminPort) {
  public static final String DEFAULT_ENVOY_IMAGE = "envoyproxy/envoy:v1.31-latest";
  public static final int DEFAULT_ADMIN_PORT = 9901;

  public InjectOptions {
    Objects.requireNonNull(namespace, "namespace");
    services = List.copyOf(services);
    Objects.requireNonNull(xdsHost, "xdsHost");
    Objects.requireNonNull(tokenSecret, "tokenSecret");
    Objects.requireNonNull(envoyImage, "envoyImage");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String namespace;
    private final List<ServiceRequest> services = new ArrayList<>();
    private String xdsHost;
    private int xdsPort;
    private String xdsCaFile;
    private String tokenSecret;
    private String envoyImage = DEFAULT_ENVOY_IMAGE;
    private int adminPort = DEFAULT_ADMIN_PORT;

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder service(ServiceRequest service) {
      services.add(service);
      return this;
    }

    public Builder xds(String host, int port) {
      this.xdsHost = host;
      this.xdsPort = port;
      return this;
    }

    public Builder xdsCaFile(String file) {
      this.xdsCaFile = file;
      return this;
    }

    public Builder tokenSecret(String tokenSecret) {
      this.tokenSecret = tokenSecret;
      return this;
    }

    public Builder envoyImage(String envoyImage) {
      this.envoyImage = envoyImage;
      return this;
    }

    public Builder adminPort(int adminPort) {
      this.adminPort = adminPort;
      return this;
    }

    public InjectOptions build() {
      return new InjectOptions(namespace, services, xdsHost, xdsPort, xdsCaFile, tokenSecret, envoyImage, adminPort);
    }
  }
}
