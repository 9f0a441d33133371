package io.tether.bench.fleet;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.HashMap;
import java.util.Map;

/**
 * What one client holds across its streams, kept as counts (10,000 streams cannot each keep their
 * resources): how many clusters, and how many endpoints each EDS cluster has. It tells when a response
 * took everything a client had, a cluster list or a cluster's endpoints emptied (the cold start's "empty
 * config"): the scale benchmark's namespace never has an empty service, so any such response is wrong.
 */
final class HeldConfig {
  private final FleetStats stats;
  private int clusters;
  private final Map<String, Integer> endpoints = new HashMap<>();
  private boolean emptied;

  HeldConfig(FleetStats stats) {
    this.stats = stats;
  }

  /** The client now holds {@code count} clusters. */
  void clusters(int count) {
    if (count == 0 && clusters > 0) {
      emptied();
    }
    clusters = count;
  }

  /** The client now holds {@code assignment} for its cluster. */
  void assignment(ClusterLoadAssignment assignment) {
    int count = 0;
    for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
      count += locality.getLbEndpointsCount();
    }
    Integer before = endpoints.put(assignment.getClusterName(), count);
    if (count == 0 && before != null && before > 0) {
      emptied();
    }
  }

  /** The client dropped the assignment of {@code cluster} (a delta removal). */
  void removedAssignment(String cluster) {
    Integer before = endpoints.remove(cluster);
    if (before != null && before > 0) {
      emptied();
    }
  }

  private void emptied() {
    if (!emptied) {
      emptied = true;
      stats.emptied();
    }
  }
}
