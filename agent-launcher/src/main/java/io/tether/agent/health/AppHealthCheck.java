package io.tether.agent.health;

import io.tether.model.Policies;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What the agent checks on its app, on 127.0.0.1, and how often: the value behind
 * {@code --health-check} and a service's {@code healthCheck} policy.
 *
 * @param protocol how to check
 * @param path the HTTP path (HTTP only; starts with '/')
 * @param grpcService the service name asked of grpc.health.v1.Health ("" is the server as a whole; gRPC only)
 * @param port the app's port on 127.0.0.1 (unused for NONE)
 * @param interval time from the end of one check to the start of the next
 * @param timeout how long one check may take before it counts as failed
 * @param healthyThreshold consecutive passes that make the app HEALTHY
 * @param unhealthyThreshold consecutive failures that make it UNHEALTHY
 */
public record AppHealthCheck(Protocol protocol, String path, String grpcService, int port, Duration interval,
    Duration timeout, int healthyThreshold, int unhealthyThreshold) {

  /** Service Connect's timing ({@link Policies}), for a check that names none. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(Policies.HEALTH_INTERVAL_SECONDS);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(Policies.HEALTH_TIMEOUT_SECONDS);
  public static final int DEFAULT_HEALTHY_THRESHOLD = Policies.HEALTHY_THRESHOLD;
  public static final int DEFAULT_UNHEALTHY_THRESHOLD = Policies.UNHEALTHY_THRESHOLD;

  public enum Protocol {
    /** GET path; any 2xx passes. */
    HTTP,
    /** A TCP connection is accepted. */
    TCP,
    /** grpc.health.v1.Health/Check answers SERVING. */
    GRPC,
    /** No check: the app is taken to be healthy once started. */
    NONE
  }

  public AppHealthCheck {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (protocol == Protocol.HTTP && (path == null || !path.startsWith("/"))) {
      throw new IllegalArgumentException("an HTTP health check needs a path starting with '/', was '" + path + "'");
    }
    if (protocol != Protocol.HTTP) {
      path = null;
    }
    grpcService = protocol == Protocol.GRPC ? (grpcService == null ? "" : grpcService) : null;
    if (protocol != Protocol.NONE && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("health check port must be between 1 and 65535, was " + port);
    }
    if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("health check interval and timeout must be positive");
    }
    if (healthyThreshold < 1 || unhealthyThreshold < 1) {
      throw new IllegalArgumentException("health check thresholds must be at least 1");
    }
  }

  /**
   * Parses {@code http:/healthz}, {@code http} (path "/"), {@code tcp}, {@code grpc},
   * {@code grpc:package.Service} or {@code none}, with the default interval, timeout and thresholds.
   */
  public static AppHealthCheck parse(String spec, int port) {
    Objects.requireNonNull(spec, "spec");
    int colon = spec.indexOf(':');
    String kind = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    String argument = colon < 0 ? null : spec.substring(colon + 1);
    Protocol protocol = switch (kind) {
      case "http" -> Protocol.HTTP;
      case "tcp" -> Protocol.TCP;
      case "grpc" -> Protocol.GRPC;
      case "none" -> Protocol.NONE;
      default -> throw new IllegalArgumentException(
          "health check '" + spec + "': expected http:/PATH, tcp, grpc, grpc:SERVICE or none");
    };
    if (argument != null && (argument.isEmpty() || protocol == Protocol.TCP || protocol == Protocol.NONE)) {
      throw new IllegalArgumentException("health check '" + spec + "': "
          + (argument.isEmpty() ? "nothing after ':'" : kind + " takes no argument"));
    }
    return new AppHealthCheck(protocol,
        protocol == Protocol.HTTP ? (argument == null ? "/" : argument) : null,
        protocol == Protocol.GRPC ? argument : null,
        protocol == Protocol.NONE ? 0 : port,
        DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY_THRESHOLD, DEFAULT_UNHEALTHY_THRESHOLD);
  }

  /**
   * The check a service's effective policy asks for ({@code GET …/services/{svc}?effective=true}).
   * The policy's path is an HTTP path; a gRPC check from the policy asks about the whole server ("").
   */
  public static AppHealthCheck fromPolicy(io.tether.model.HealthCheck policy, int port) {
    Objects.requireNonNull(policy, "policy");
    String protocol = policy.protocol() == null ? "http" : policy.protocol();
    AppHealthCheck base = parse(protocol, port);
    return new AppHealthCheck(base.protocol(), policy.path() == null ? "/healthz" : policy.path(), "", port,
        seconds(policy.intervalSeconds(), DEFAULT_INTERVAL), seconds(policy.timeoutSeconds(), DEFAULT_TIMEOUT),
        policy.healthyThreshold() == null ? DEFAULT_HEALTHY_THRESHOLD : policy.healthyThreshold(),
        policy.unhealthyThreshold() == null ? DEFAULT_UNHEALTHY_THRESHOLD : policy.unhealthyThreshold());
  }

  public AppHealthCheck withTiming(Duration newInterval, Duration newTimeout) {
    return new AppHealthCheck(protocol, path, grpcService, port, newInterval, newTimeout, healthyThreshold,
        unhealthyThreshold);
  }

  public AppHealthCheck withThresholds(int healthy, int unhealthy) {
    return new AppHealthCheck(protocol, path, grpcService, port, interval, timeout, healthy, unhealthy);
  }

  @Override
  public String toString() {
    return describe("127.0.0.1");
  }

  /** As {@link #toString()}, for the app at {@code host} ({@link HealthMonitor}'s host) rather than the loopback. */
  public String describe(String host) {
    String what = switch (protocol) {
      case HTTP -> "http:" + path;
      case GRPC -> grpcService.isEmpty() ? "grpc" : "grpc:" + grpcService;
      case TCP -> "tcp";
      case NONE -> "none";
    };
    return protocol == Protocol.NONE ? what : what + " on " + host + ":" + port + " every " + interval.toMillis()
        + " ms (timeout " + timeout.toMillis() + " ms, healthy after " + healthyThreshold + ", unhealthy after "
        + unhealthyThreshold + ")";
  }

  private static Duration seconds(Integer value, Duration fallback) {
    return value == null ? fallback : Duration.ofSeconds(value);
  }
}
