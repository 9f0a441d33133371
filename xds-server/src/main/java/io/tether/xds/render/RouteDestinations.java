package io.tether.xds.render;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.tether.model.Destination;
import java.util.List;

/**
 * Where a route rule's calls go: one service's cluster, or a weighted split between the clusters of
 * several. Clusters are named by {@link ResourceNames#cluster}; every node of the namespace already has
 * each service's cluster, so a rule needs no resource of its own. A 0 weight is kept, so that the
 * client stays subscribed to that cluster and raising the weight sends calls at once.
 */
final class RouteDestinations {
  private RouteDestinations() {}

  static RouteAction.Builder apply(RouteAction.Builder action, ServiceInput in, List<Destination> to) {
    String self = in.spec().discoveryName();
    if (to.size() == 1) {
      return action.setCluster(ResourceNames.cluster(in.namespace(), to.get(0).serviceOr(self)));
    }
    WeightedCluster.Builder split = WeightedCluster.newBuilder();
    for (Destination d : to) {
      split.addClusters(WeightedCluster.ClusterWeight.newBuilder()
          .setName(ResourceNames.cluster(in.namespace(), d.serviceOr(self)))
          .setWeight(Protos.uint32(d.weightOrAll())));
    }
    return action.setWeightedClusters(split);
  }
}
