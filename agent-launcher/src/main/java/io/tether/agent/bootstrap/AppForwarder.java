package io.tether.agent.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

/**
 * For an app Envoy cannot reach on its loopback: a static listener on {@code 127.0.0.1:appPort}, where
 * the control plane's ingress cluster sends the app's traffic, passing the bytes to {@code appHost:appPort}.
 *
 * <p>Why here and not in the control plane: the xDS contract is that the ingress cluster targets the app
 * on 127.0.0.1, and the node metadata carries no app address, so a sidecar in its own network namespace
 * (ECS bridge mode) bridges the gap locally. It is plain TCP, so it carries every protocol unchanged, and
 * it imposes nothing of its own: no idle timeout (the ingress listener applies the service's) and no
 * circuit-breaker limits (the ingress cluster's are unlimited too). The cluster is STRICT_DNS so that a
 * Docker link alias is re-resolved when the app's container is replaced.
 */
final class AppForwarder {
  private AppForwarder() {}

  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

  /** {@code tether-app:payments}, apart from every name the control plane renders. */
  static String name(ServedPort served) {
    return "tether-app:" + served.discoveryName();
  }

  static Listener listener(ServedPort served) {
    TcpProxy proxy = TcpProxy.newBuilder()
        .setStatPrefix("tether-app-" + served.discoveryName())
        .setCluster(name(served))
        .setIdleTimeout(Duration.getDefaultInstance())
        .build();
    return Listener.newBuilder()
        .setName(name(served))
        .setAddress(EnvoyBootstrap.socket(ServedPort.LOOPBACK, served.appPort()))
        .addFilterChains(FilterChain.newBuilder().addFilters(
            Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(proxy))))
        .build();
  }

  static Cluster cluster(ServedPort served) {
    UInt32Value unlimited = UInt32Value.of(Integer.MAX_VALUE);
    return Cluster.newBuilder()
        .setName(name(served))
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Duration.newBuilder().setSeconds(5))
        .setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(CircuitBreakers.Thresholds.newBuilder()
            .setPriority(RoutingPriority.DEFAULT)
            .setMaxConnections(unlimited).setMaxPendingRequests(unlimited)
            .setMaxRequests(unlimited).setMaxRetries(unlimited)))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(name(served))
            .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                .setEndpoint(Endpoint.newBuilder()
                    .setAddress(EnvoyBootstrap.socket(served.appHost(), served.appPort()))))))
        .build();
  }
}
