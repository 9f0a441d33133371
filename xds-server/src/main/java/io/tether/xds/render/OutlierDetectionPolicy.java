package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.tether.xds.node.ProxyKind;

/**
 * Passive health checking: eject a replica that keeps failing. Envoy counts consecutive 5xx (and maps
 * gRPC statuses onto them); grpc-java implements only success-rate and failure-percentage ejection and
 * ignores {@code consecutive_5xx}, so proxyless clients get the closest failure-percentage equivalent.
 */
final class OutlierDetectionPolicy {
  private OutlierDetectionPolicy() {}

  /** Eject when more than half of a replica's calls in an interval failed. */
  static final int FAILURE_PERCENTAGE_THRESHOLD = 50;

  /**
   * Failure-percentage needs this many replicas with enough traffic before it ejects any. grpc-java
   * always lets one ejection through whatever max_ejection_percent says, so with 1 it would eject a
   * service's only replica, which leaves callers nothing better to call.
   */
  static final int FAILURE_PERCENTAGE_MINIMUM_HOSTS = 2;

  static OutlierDetection render(io.tether.model.OutlierDetection policy, ProxyKind kind) {
    OutlierDetection.Builder od = OutlierDetection.newBuilder()
        .setInterval(Protos.millis(policy.intervalMs()))
        .setBaseEjectionTime(Protos.millis(policy.baseEjectionTimeMs()))
        .setMaxEjectionPercent(Protos.uint32(policy.maxEjectionPercent()));
    if (kind == ProxyKind.ENVOY) {
      return od.setConsecutive5Xx(Protos.uint32(policy.consecutive5xx())).build();
    }
    // The request volume plays the part of the consecutive count: a replica is judged once it has
    // served that many calls in the interval, and ejected when over half of them failed. Envoy's
    // default enforcement here is 0 (off), so it is set to 100 explicitly.
    return od
        .setFailurePercentageThreshold(Protos.uint32(FAILURE_PERCENTAGE_THRESHOLD))
        .setEnforcingFailurePercentage(Protos.uint32(100))
        .setFailurePercentageMinimumHosts(Protos.uint32(FAILURE_PERCENTAGE_MINIMUM_HOSTS))
        .setFailurePercentageRequestVolume(Protos.uint32(Math.max(1, policy.consecutive5xx())))
        .build();
  }
}
