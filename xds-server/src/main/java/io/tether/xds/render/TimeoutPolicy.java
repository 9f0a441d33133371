package io.tether.xds.render;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.tether.model.Timeout;
import java.util.Optional;

/**
 * A service's idle and per-request timeouts in Envoy's terms. Every value is written out, 0 included:
 * Envoy reads an unset route timeout as 15 s and an unset idle timeout as 1 h (connections) or 5 min
 * (streams), while the registry's 0 means "none", which Envoy spells as an explicit 0 s.
 */
final class TimeoutPolicy {
  private TimeoutPolicy() {}

  /** The whole request, first byte to last; 0 s disables Envoy's 15 s default. grpc-java ignores it. */
  static Duration requestTimeout(Timeout timeout) {
    return Protos.seconds(timeout.perRequestTimeoutSeconds());
  }

  /** How long a connection or stream may sit without traffic; 0 s disables. */
  static Duration idleTimeout(Timeout timeout) {
    return Protos.seconds(timeout.idleTimeoutSeconds());
  }

  /**
   * The per-request timeout as a stream duration, which is what grpc-java honours (it ignores
   * {@code timeout}). grpc-java prefers {@code grpc_timeout_header_max} when both are set, Envoy caps a
   * caller's {@code grpc-timeout} header by it: both carry the same value so the two clients agree.
   * Empty when the service has no per-request timeout: 0 here would mean "no limit" in Envoy but is
   * simply clearer left out.
   */
  static Optional<RouteAction.MaxStreamDuration> grpcMaxStreamDuration(Timeout timeout) {
    if (timeout.perRequestTimeoutSeconds() == 0) {
      return Optional.empty();
    }
    Duration limit = requestTimeout(timeout);
    return Optional.of(RouteAction.MaxStreamDuration.newBuilder()
        .setMaxStreamDuration(limit)
        .setGrpcTimeoutHeaderMax(limit)
        .build());
  }

  /** Idle timeout of HTTP connections, downstream (connection manager) or upstream (cluster). */
  static HttpProtocolOptions connectionIdle(Timeout timeout) {
    return HttpProtocolOptions.newBuilder().setIdleTimeout(idleTimeout(timeout)).build();
  }
}
