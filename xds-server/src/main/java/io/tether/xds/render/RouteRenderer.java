package io.tether.xds.render;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.tether.model.AppProtocol;
import io.tether.model.RetryPolicy;
import io.tether.model.RouteRule;
import io.tether.model.ServicePolicy;
import io.tether.model.Timeout;
import io.tether.xds.render.RouteMatchRenderer.Client;
import java.util.ArrayList;
import java.util.List;

/**
 * Route configurations, one per client alias (a listener, or api_listener, exists per alias). Each
 * holds the service's test traffic rules, then its route rules in order, then the default route sending
 * everything else to the split, or without one to the service's own cluster; each route carries its rule's timeout and retry policy (else the service's), as
 * the client honours them. A service without rules has the default route only.
 */
final class RouteRenderer {
  private RouteRenderer() {}

  /**
   * The Envoy egress route (RDS) of one alias: per route the per-request timeout, the stream idle
   * timeout, the retry policy, the hash key of a hashing service, and for gRPC the timeout again as a
   * stream duration that also caps the caller's {@code grpc-timeout} header.
   */
  static RouteConfiguration egress(ServiceInput in, String hostPort) {
    List<Route> routes = new ArrayList<>();
    for (RouteRule rule : rules(in)) {
      RouteAction.Builder action = envoyAction(in, ruleTimeout(in, rule), ruleRetry(in, rule));
      routes.add(route(rule.name(), RouteMatchRenderer.render(rule.match(), Client.ENVOY),
          RouteDestinations.apply(action, in, rule.to())));
    }
    ServicePolicy policy = in.policy();
    routes.add(defaultRoute(in, envoyAction(in, policy.timeout(), policy.retryPolicy())));
    return config(ResourceNames.route(hostPort), cluster(in), routes);
  }

  /**
   * The inline route of a proxyless client's api_listener. grpc-java ignores {@code timeout} and
   * honours {@code max_stream_duration}; both are written (docs/xds-clients.md, "Timeouts"). Omitted when the
   * service has no per-request timeout: grpc-java then applies none (0 would mean the same, but
   * absent is unambiguous). No idle timeout: grpc-java has no such route setting.
   */
  static RouteConfiguration proxyless(ServiceInput in, String hostPort) {
    List<Route> routes = new ArrayList<>();
    for (RouteRule rule : rules(in)) {
      RouteAction.Builder action = proxylessAction(in, ruleTimeout(in, rule), ruleRetry(in, rule));
      routes.add(route(rule.name(), RouteMatchRenderer.render(rule.match(), Client.PROXYLESS),
          RouteDestinations.apply(action, in, rule.to())));
    }
    ServicePolicy policy = in.policy();
    routes.add(defaultRoute(in, proxylessAction(in, policy.timeout(), policy.retryPolicy())));
    return config(ResourceNames.route(hostPort), cluster(in), routes);
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
    return config(ResourceNames.ingressRoute(service), local, List.of(Route.newBuilder()
        .setMatch(RouteMatchRenderer.any()).setRoute(action).build()));
  }

  private static RouteAction.Builder envoyAction(ServiceInput in, Timeout timeout, RetryPolicy retry) {
    RouteAction.Builder action = RouteAction.newBuilder()
        .setTimeout(TimeoutPolicy.requestTimeout(timeout))
        .setIdleTimeout(TimeoutPolicy.idleTimeout(timeout));
    RetryPolicyRenderer.envoy(retry).ifPresent(action::setRetryPolicy);
    HashPolicyRenderer.envoy(in.policy().hashOn()).ifPresent(action::addHashPolicy);
    if (in.spec().protocol() == AppProtocol.GRPC) {
      TimeoutPolicy.grpcMaxStreamDuration(timeout).ifPresent(action::setMaxStreamDuration);
    }
    return action;
  }

  private static RouteAction.Builder proxylessAction(ServiceInput in, Timeout timeout, RetryPolicy retry) {
    RouteAction.Builder action = RouteAction.newBuilder();
    TimeoutPolicy.grpcMaxStreamDuration(timeout).ifPresent(limit -> action
        .setTimeout(limit.getMaxStreamDuration())
        .setMaxStreamDuration(limit));
    RetryPolicyRenderer.proxyless(retry).ifPresent(action::setRetryPolicy);
    HashPolicyRenderer.proxyless(in.policy().hashOn()).ifPresent(action::addHashPolicy);
    return action;
  }

  /** The test traffic rules (as rules matching their header), then the route rules, in the order written. */
  private static List<RouteRule> rules(ServiceInput in) {
    List<RouteRule> rules = new ArrayList<>();
    in.spec().traffic().testTraffic().forEach(t -> rules.add(t.asRoute()));
    rules.addAll(in.spec().routes());
    return rules;
  }

  /** The rule's own timeout, field by field over the service's effective one. */
  private static Timeout ruleTimeout(ServiceInput in, RouteRule rule) {
    return rule.timeout() == null ? in.policy().timeout() : rule.timeout().orElse(in.policy().timeout());
  }

  private static RetryPolicy ruleRetry(ServiceInput in, RouteRule rule) {
    return rule.retryPolicy() == null ? in.policy().retryPolicy() : rule.retryPolicy().orElse(in.policy().retryPolicy());
  }

  private static Route route(String name, io.envoyproxy.envoy.config.route.v3.RouteMatch match,
      RouteAction.Builder action) {
    return Route.newBuilder().setName(name).setMatch(match).setRoute(action).build();
  }

  /**
   * Unnamed, as it was before rules existed, so that a service without rules renders byte for byte as then;
   * to the split when there is one, else to the whole service.
   */
  private static Route defaultRoute(ServiceInput in, RouteAction.Builder action) {
    List<io.tether.model.Destination> split = in.spec().traffic().split();
    RouteAction.Builder to = split.isEmpty() ? action.setCluster(cluster(in)) : RouteDestinations.apply(action, in, split);
    return Route.newBuilder().setMatch(RouteMatchRenderer.any()).setRoute(to).build();
  }

  /**
   * One virtual host for every authority: the listener already chose the service. grpc-java matches
   * its target's authority ({@code payments:8080}, or {@code payments}) against the domains; "*"
   * matches both, and whatever else a caller puts in its Host header.
   */
  private static RouteConfiguration config(String name, String virtualHost, List<Route> routes) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(VirtualHost.newBuilder()
            .setName(virtualHost)
            .addDomains("*")
            .addAllRoutes(routes))
        .build();
  }

  private static String cluster(ServiceInput in) {
    return ResourceNames.cluster(in.namespace(), in.spec().discoveryName());
  }
}
