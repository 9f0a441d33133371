package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one service contributes to every node of a namespace that may call it: its EDS cluster and one per
 * subset, and per client alias an egress listener with its route (Envoy) or an api_listener (proxyless gRPC).
 */
public record ServiceResources(Cluster cluster, List<Cluster> subsetClusters, List<Listener> listeners,
    List<RouteConfiguration> routes) {
  public ServiceResources {
    subsetClusters = List.copyOf(subsetClusters);
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
  }

  /** A service without subsets. */
  public ServiceResources(Cluster cluster, List<Listener> listeners, List<RouteConfiguration> routes) {
    this(cluster, List.of(), listeners, routes);
  }

  /** The service's cluster, then its subsets' in the order declared. */
  public List<Cluster> clusters() {
    List<Cluster> all = new ArrayList<>(List.of(cluster));
    all.addAll(subsetClusters);
    return all;
  }
}
