package io.tether.xds.render;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.tether.model.Destination;
import java.util.List;

/**
 * Where a route rule's (or the split's, or a test traffic rule's) calls go: one cluster, or a weighted
 * split between several: a service's ({@link ResourceNames#cluster}) or a subset's ({@link
 * ResourceNames#subsetCluster}). Every node of the namespace already has each service's clusters, so a rule
 * needs no resource of its own. A 0 weight is kept, so that the client stays subscribed to that cluster
 * and raising the weight sends calls at once.
 */
final class RouteDestinations {
  private RouteDestinations() {}

  static RouteAction.Builder apply(RouteAction.Builder action, ServiceInput in, List<Destination> to) {
    if (to.size() == 1) {
      return action.setCluster(cluster(in, to.get(0)));
    }
    return action.setWeightedClusters(weighted(in, to));
  }

  /** The clusters of {@code to} with their weights, in the order written. */
  static WeightedCluster weighted(ServiceInput in, List<Destination> to) {
    WeightedCluster.Builder split = WeightedCluster.newBuilder();
    for (Destination d : to) {
      split.addClusters(WeightedCluster.ClusterWeight.newBuilder()
          .setName(cluster(in, d))
          .setWeight(Protos.uint32(d.weightOrAll())));
    }
    return split.build();
  }

  /** The cluster one destination names. */
  static String cluster(ServiceInput in, Destination d) {
    String service = d.serviceOr(in.spec().discoveryName());
    return d.subset() == null ? ResourceNames.cluster(in.namespace(), service)
        : ResourceNames.subsetCluster(in.namespace(), service, d.subset());
  }
}
