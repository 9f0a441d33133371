package io.tether.model;

import java.util.List;

/** Service Connect's observed defaults, and the merge rule every policy record uses. */
public final class Policies {
  private Policies() {}

  /** Service Connect closes idle HTTP streams after 300 s and idle TCP connections after an hour. */
  static final int HTTP_IDLE_TIMEOUT_SECONDS = 300;
  static final int TCP_IDLE_TIMEOUT_SECONDS = 3600;

  /** Service Connect checks an app every 5 s, gives it 2 s to answer, healthy after 2 passes, unhealthy after 3 failures. */
  public static final int HEALTH_INTERVAL_SECONDS = 5;
  public static final int HEALTH_TIMEOUT_SECONDS = 2;
  public static final int HEALTHY_THRESHOLD = 2;
  public static final int UNHEALTHY_THRESHOLD = 3;

  /**
   * The fully populated policy Service Connect applies when nothing is configured: 15 s per request,
   * 2 retries on connect-failure/refused-stream/unavailable/503, Envoy's outlier-detection and
   * circuit-breaker defaults, round robin, a health check of the app in its own protocol (HTTP
   * /healthz, gRPC health, or a TCP connect), and every call allowed (no authorization rule needed).
   * Not Service Connect's but the mesh's: tls PERMISSIVE, so that turning mutual TLS on breaks no
   * plaintext caller (docs/security.md). Not zone-aware: Service Connect spreads calls over every zone.
   */
  public static ServicePolicy serviceConnectDefaults(AppProtocol protocol) {
    int idle = protocol == AppProtocol.TCP ? TCP_IDLE_TIMEOUT_SECONDS : HTTP_IDLE_TIMEOUT_SECONDS;
    return new ServicePolicy(
        new Timeout(idle, 15),
        new RetryPolicy(2, List.of("connect-failure", "refused-stream", "unavailable", "503"), 0),
        new OutlierDetection(5, 10_000, 30_000, 10),
        new CircuitBreakers(1024, 1024, 1024, 3),
        LoadBalancing.ROUND_ROBIN,
        null,
        new HealthCheck(healthCheckProtocol(protocol), "/healthz", HEALTH_INTERVAL_SECONDS, HEALTH_TIMEOUT_SECONDS,
            HEALTHY_THRESHOLD, UNHEALTHY_THRESHOLD),
        new AuthorizationPolicy(AuthorizationAction.ALLOW),
        new Tls(TlsMode.PERMISSIVE),
        ZoneAware.OFF);
  }

  /** A policy with every gap (a null policy is all gaps) filled with {@link #serviceConnectDefaults}. */
  public static ServicePolicy completed(ServicePolicy policy, AppProtocol protocol) {
    return (policy == null ? ServicePolicy.EMPTY : policy).orElse(serviceConnectDefaults(protocol));
  }

  /** The check an app of this protocol answers: gRPC apps the standard grpc.health.v1 service. */
  private static String healthCheckProtocol(AppProtocol protocol) {
    return switch (protocol) {
      case TCP -> "tcp";
      case GRPC -> "grpc";
      default -> "http";
    };
  }

  static <T> T first(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }
}
