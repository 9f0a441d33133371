package io.tether.xds.render;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.tether.model.AppProtocol;
import io.tether.model.ServicePolicy;
import io.tether.model.Timeout;

/**
 * Route configurations: every one sends everything to one cluster, since a listener (or api_listener)
 * exists per client alias. They differ in which of the service's policies they carry and how.
 */
final class RouteRenderer {
  private RouteRenderer() {}

  /**
   * The Envoy egress route (RDS) of one alias: the per-request timeout, the stream idle timeout, the
   * retry policy, the hash key of a hashing service, and for gRPC the timeout again as a stream duration that also caps the caller's
   * {@code grpc-timeout} header.
   */
  static RouteConfiguration egress(ServiceInput in, String hostPort) {
    ServicePolicy policy = in.policy();
    Timeout timeout = policy.timeout();
    RouteAction.Builder action = RouteAction.newBuilder()
        .setCluster(cluster(in))
        .setTimeout(TimeoutPolicy.requestTimeout(timeout))
        .setIdleTimeout(TimeoutPolicy.idleTimeout(timeout));
    RetryPolicyRenderer.envoy(policy.retryPolicy()).ifPresent(action::setRetryPolicy);
    HashPolicyRenderer.envoy(policy.hashOn()).ifPresent(action::addHashPolicy);
    if (in.spec().protocol() == AppProtocol.GRPC) {
      TimeoutPolicy.grpcMaxStreamDuration(timeout).ifPresent(action::setMaxStreamDuration);
    }
    return single(ResourceNames.route(hostPort), cluster(in), action);
  }

  /**
   * The inline route of a proxyless client's api_listener. grpc-java ignores {@code timeout} and
   * honours {@code max_stream_duration}; both are written (docs/xds-clients.md, "Timeouts"). Omitted when the
   * service has no per-request timeout: grpc-java then applies none (0 would mean the same, but
   * absent is unambiguous). No idle timeout: grpc-java has no such route setting.
   */
  static RouteConfiguration proxyless(ServiceInput in, String hostPort) {
    ServicePolicy policy = in.policy();
    RouteAction.Builder action = RouteAction.newBuilder().setCluster(cluster(in));
    TimeoutPolicy.grpcMaxStreamDuration(policy.timeout()).ifPresent(limit -> action
        .setTimeout(limit.getMaxStreamDuration())
        .setMaxStreamDuration(limit));
    RetryPolicyRenderer.proxyless(policy.retryPolicy()).ifPresent(action::setRetryPolicy);
    HashPolicyRenderer.proxyless(policy.hashOn()).ifPresent(action::addHashPolicy);
    return single(ResourceNames.route(hostPort), cluster(in), action);
  }

  /**
   * The inline route of an ingress listener: to the app, with no request timeout (0 s; the caller's
   * sidecar enforces the service's), and the service's stream idle timeout, since Envoy's 5 min
   * default would otherwise cut long quiet streams the service allows.
   */
  static RouteConfiguration ingress(ServiceInput in) {
    String service = in.spec().discoveryName();
    String local = ResourceNames.localCluster(service);
    RouteAction.Builder action = RouteAction.newBuilder()
        .setCluster(local)
        .setTimeout(Protos.seconds(0))
        .setIdleTimeout(TimeoutPolicy.idleTimeout(in.policy().timeout()));
    return single(ResourceNames.ingressRoute(service), local, action);
  }

  /**
   * One virtual host for every authority: the listener already chose the service. grpc-java matches
   * its target's authority ({@code payments:8080}, or {@code payments}) against the domains; "*"
   * matches both, and whatever else a caller puts in its Host header.
   */
  private static RouteConfiguration single(String name, String virtualHost, RouteAction.Builder action) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(VirtualHost.newBuilder()
            .setName(virtualHost)
            .addDomains("*")
            .addRoutes(Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(action)))
        .build();
  }

  private static String cluster(ServiceInput in) {
    return ResourceNames.cluster(in.namespace(), in.spec().discoveryName());
  }
}
