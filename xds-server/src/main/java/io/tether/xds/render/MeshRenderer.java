package io.tether.xds.render;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Subset;
import io.tether.model.VipRange;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns registry state into xDS resources. Pure functions: no I/O, no state, safe from any thread;
 * equal input gives equal (and byte-equal) output, so a re-render of unchanged state is no change.
 *
 * <p>What each kind of client gets, per service of its namespace:
 *
 * <ul>
 *   <li>ENVOY: the EDS cluster; per client alias with an allocated VIP an egress listener on VIP:port
 *       (the VIP re-based into the node's {@link VipRange}), and for HTTP protocols its RDS route. For each
 *       service the sidecar serves, see {@link #ingress}.
 *   <li>GRPC: the EDS cluster; per client alias an api_listener named {@code dnsName:port} (and
 *       {@code dnsName} when that is unambiguous) with its route inline. tcp services get the cluster
 *       only: a gRPC channel cannot speak raw TCP.
 * </ul>
 */
public final class MeshRenderer {
  private MeshRenderer() {}

  /** The cluster, listeners and routes one service contributes to every node of its namespace of that kind. */
  public static ServiceResources service(ServiceInput input, ProxyKind kind) {
    return service(input, kind, VipRange.REGISTRY);
  }

  /**
   * As {@link #service(ServiceInput, ProxyKind)}, for Envoy nodes whose client-alias listeners are bound
   * in {@code range}. Only the listeners' addresses move: their names, and the routes' and clusters', are
   * the same in every range, derived from the alias and the service.
   */
  public static ServiceResources service(ServiceInput input, ProxyKind kind, VipRange range) {
    return service(input, kind, range, false);
  }

  /**
   * As {@link #service(ServiceInput, ProxyKind, VipRange)}; {@code proxylessTls} gives a proxyless
   * client's cluster mutual TLS unless the service's mode is DISABLED: true for clients with the
   * {@code tether} certificate provider when every endpoint of the service is fronted by an agent's
   * Envoy ({@link #proxylessTlsReaches}).
   */
  public static ServiceResources service(ServiceInput input, ProxyKind kind, VipRange range, boolean proxylessTls) {
    Cluster cluster = ClusterRenderer.render(input, kind, proxylessTls);
    List<Cluster> subsets = ClusterRenderer.subsets(input, kind, proxylessTls);
    List<ClientAlias> aliases = sortedAliases(input);
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    boolean http = input.spec().protocol().isHttp();
    if (kind == ProxyKind.GRPC) {
      if (http) {
        listeners.addAll(ApiListenerRenderer.render(input, aliases));
      }
      return new ServiceResources(cluster, subsets, listeners, routes);
    }
    for (ClientAlias alias : aliases) {
      String vip = input.vips().get(alias.hostPort());
      if (vip == null) {
        continue; // not allocated yet: no address to bind, the alias gets its listener once it is
      }
      listeners.add(EgressListenerRenderer.render(input, alias, range.rebase(vip)));
      if (http) {
        routes.add(RouteRenderer.egress(input, alias.hostPort()));
      }
    }
    return new ServiceResources(cluster, subsets, listeners, routes);
  }

  /**
   * True when a proxyless client's mutual TLS reaches every one of {@code endpoints}: each is fronted by
   * an agent's Envoy ({@link Endpoint#meshTls}). grpc-java cannot mix plaintext and TLS endpoints in one
   * cluster, so one endpoint registered directly (a proxyless server, a REST registration) keeps the
   * cluster plaintext, which every PERMISSIVE sidecar accepts too. No endpoint at all: TLS, so that a
   * STRICT service's first endpoints change nothing.
   */
  public static boolean proxylessTlsReaches(java.util.Collection<Endpoint> endpoints) {
    return endpoints.stream().allMatch(Endpoint::meshTls);
  }

  /** The ClusterLoadAssignment of a service's cluster; empty, never missing, when it has no endpoints. */
  public static ClusterLoadAssignment endpoints(String namespace, String service, Map<String, Endpoint> endpointsById) {
    return EndpointRenderer.render(namespace, service, endpointsById);
  }

  /**
   * The ClusterLoadAssignment a caller in {@code callerZone} gets of a zone-aware service: its zone's
   * endpoints first (priority 0), the others after (priority 1); as {@link #endpoints(String, String, Map)}
   * when the zone is null or has no endpoint of the service (README "Zone-aware routing").
   */
  public static ClusterLoadAssignment endpoints(String namespace, String service, Map<String, Endpoint> endpointsById,
      String callerZone) {
    return EndpointRenderer.render(namespace, service, endpointsById, callerZone);
  }

  /** True when {@link #endpoints(String, String, Map, String)} gives a caller in {@code callerZone} two priorities. */
  public static boolean prioritises(java.util.Collection<Endpoint> endpoints, String callerZone) {
    return EndpointRenderer.prioritises(endpoints, callerZone);
  }

  /** The ClusterLoadAssignment of one subset's cluster: the service's endpoints that {@code subset} selects. */
  public static ClusterLoadAssignment subsetEndpoints(String namespace, String service, Subset subset,
      Map<String, Endpoint> endpointsById) {
    Map<String, Endpoint> members = new java.util.LinkedHashMap<>();
    endpointsById.forEach((id, e) -> {
      if (subset.selects(e)) {
        members.put(id, e);
      }
    });
    return assignment(ResourceNames.subsetCluster(namespace, service, subset.name()), members, null);
  }

  /**
   * The ClusterLoadAssignment of the cluster {@code clusterName} (a service's, or one subset's, over the
   * subset's members) as {@link #endpoints(String, String, Map, String)} renders a service's.
   */
  public static ClusterLoadAssignment assignment(String clusterName, Map<String, Endpoint> endpointsById,
      String callerZone) {
    return EndpointRenderer.render(clusterName, endpointsById, callerZone);
  }

  /** What a sidecar serving {@code served} adds for it: the ingress listener and the cluster to the app. Envoy only. */
  public static IngressResources ingress(ServiceInput input, ServedService served) {
    return ingress(input, served, IngressAuthorization.NONE);
  }

  /** With the callee's authorization rules and default enforced on its ingress listener (docs/security.md). */
  public static IngressResources ingress(ServiceInput input, ServedService served, IngressAuthorization authz) {
    if (!Objects.equals(input.spec().discoveryName(), served.discoveryName())) {
      throw new IllegalArgumentException("served service " + served.discoveryName()
          + " rendered with the spec of " + input.spec().discoveryName());
    }
    return new IngressResources(
        IngressListenerRenderer.render(input, served, authz), LocalClusterRenderer.render(input, served));
  }

  /** Aliases in a canonical order, so reordering them in the spec changes no resource. */
  private static List<ClientAlias> sortedAliases(ServiceInput in) {
    return in.spec().clientAliases().stream()
        .sorted(Comparator.comparing(ClientAlias::dnsName).thenComparing(ClientAlias::port))
        .toList();
  }
}
