package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.type.v3.Percent;
import io.tether.model.LoadBalancing;
import io.tether.xds.node.ProxyKind;

/** A service's load-balancing policy on its cluster. */
final class LoadBalancingPolicy {
  private LoadBalancingPolicy() {}

  static void apply(Cluster.Builder cluster, LoadBalancing policy, ProxyKind kind) {
    if (kind == ProxyKind.GRPC) {
      cluster.setLbPolicy(proxyless(policy));
      return;
    }
    cluster.setLbPolicy(envoy(policy));
    // Only HEALTHY endpoints get traffic (the registry's promise). Envoy's panic mode would send
    // traffic to UNHEALTHY and DRAINING tasks as soon as fewer than half are healthy; grpc-java has no
    // such mode, so turning it off also makes both kinds of client behave alike.
    // Envoy merges health changes of a cluster's hosts for update_merge_window (default 1 s) before
    // its load balancer sees them: an endpoint ejected after consecutive5xx failures kept getting
    // calls (and answering 5xx) for up to that second. A window of 0 applies each change at once;
    // the clusters are small, so rebuilding the balancer per change is cheap.
    cluster.setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
        .setHealthyPanicThreshold(Percent.newBuilder().setValue(0))
        .setUpdateMergeWindow(Protos.millis(0)));
  }

  /** Envoy implements every policy the registry names, under the same names. */
  static Cluster.LbPolicy envoy(LoadBalancing policy) {
    return switch (policy) {
      case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
      case LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
      case RING_HASH -> Cluster.LbPolicy.RING_HASH;
      case RANDOM -> Cluster.LbPolicy.RANDOM;
      case MAGLEV -> Cluster.LbPolicy.MAGLEV;
    };
  }

  /**
   * grpc-java implements ROUND_ROBIN, LEAST_REQUEST and RING_HASH and NACKs the whole cluster for any
   * other ("unsupported lb policy"), so the others map to their nearest kin: RANDOM spreads calls
   * evenly without state, as round robin does; MAGLEV is consistent hashing, as ring hash is.
   */
  static Cluster.LbPolicy proxyless(LoadBalancing policy) {
    return switch (policy) {
      case ROUND_ROBIN, RANDOM -> Cluster.LbPolicy.ROUND_ROBIN;
      case LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
      case RING_HASH, MAGLEV -> Cluster.LbPolicy.RING_HASH;
    };
  }
}
