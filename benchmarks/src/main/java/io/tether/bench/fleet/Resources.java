package io.tether.bench.fleet;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What Envoy derives from the resources it was sent, to know what to subscribe next: the EDS names of
 * its clusters and the route configurations its listeners' connection managers name over RDS.
 */
final class Resources {
  private static final String HCM_TYPE = "type.googleapis.com/"
      + HttpConnectionManager.getDescriptor().getFullName();

  private Resources() {}

  /** The EDS service names of the EDS clusters among {@code clusters} (packed {@code Cluster}s). */
  static Set<String> edsNames(Collection<Any> clusters) {
    Set<String> names = new TreeSet<>();
    for (Any any : clusters) {
      String name = edsName(any);
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** The EDS service name of a packed {@code Cluster}; null when it is not an EDS cluster. */
  static String edsName(Any cluster) {
    Cluster c = unpack(cluster, Cluster.class);
    if (c.getType() != Cluster.DiscoveryType.EDS) {
      return null;
    }
    String service = c.getEdsClusterConfig().getServiceName();
    return service.isEmpty() ? c.getName() : service;
  }

  /** The RDS route configuration names of the connection managers of {@code listeners}. */
  static Set<String> routeNames(Collection<Any> listeners) {
    Set<String> names = new TreeSet<>();
    for (Any any : listeners) {
      Listener l = unpack(any, Listener.class);
      Stream.concat(l.getFilterChainsList().stream(), Stream.of(l.getDefaultFilterChain()))
          .map(FilterChain::getFiltersList).flatMap(java.util.List::stream)
          .map(Filter::getTypedConfig).filter(c -> c.getTypeUrl().equals(HCM_TYPE))
          .map(c -> unpack(c, HttpConnectionManager.class))
          .filter(HttpConnectionManager::hasRds)
          .forEach(h -> names.add(h.getRds().getRouteConfigName()));
    }
    return names;
  }

  /** A packed {@code ClusterLoadAssignment}. */
  static ClusterLoadAssignment assignment(Any any) {
    return unpack(any, ClusterLoadAssignment.class);
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a resource that is no " + type.getSimpleName() + ": " + any.getTypeUrl(), e);
    }
  }
}
