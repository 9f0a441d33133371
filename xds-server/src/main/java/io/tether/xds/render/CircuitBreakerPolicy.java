package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;

/**
 * Per-cluster limits, at the default routing priority (the only one Tether routes at, and the only
 * one grpc-java reads; it honours {@code max_requests} alone).
 */
final class CircuitBreakerPolicy {
  private CircuitBreakerPolicy() {}

  static CircuitBreakers render(io.tether.model.CircuitBreakers policy) {
    return CircuitBreakers.newBuilder()
        .addThresholds(CircuitBreakers.Thresholds.newBuilder()
            .setPriority(RoutingPriority.DEFAULT)
            .setMaxConnections(Protos.uint32(policy.maxConnections()))
            .setMaxPendingRequests(Protos.uint32(policy.maxPendingRequests()))
            .setMaxRequests(Protos.uint32(policy.maxRequests()))
            .setMaxRetries(Protos.uint32(policy.maxRetries())))
        .build();
  }

  /**
   * For the ingress cluster to the app: no limit Envoy would impose of its own (its default is 1024
   * of each). All callers' sidecars funnel into it, each already bounded by the service's policy; an
   * accidental 1024 here would make the sidecar, not the app, the service's bottleneck.
   */
  static CircuitBreakers unlimited() {
    return render(new io.tether.model.CircuitBreakers(
        Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
  }
}
