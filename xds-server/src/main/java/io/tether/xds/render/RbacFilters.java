package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.tether.model.Authorization;
import io.tether.model.AuthorizationAction;
import io.tether.model.HttpMatch;
import java.util.ArrayList;
import java.util.List;

/**
 * A callee's authorization as Envoy RBAC filters on its ingress listener (docs/security.md
 * "Authorization"): the DENY rules as a DENY RBAC first, then, under a DENY default, the ALLOW rules as
 * an ALLOW RBAC (a call it does not match is denied). Under an ALLOW default the ALLOW rules change
 * nothing and are not rendered. Callers are named by the URI SAN of their client certificate; a
 * plaintext caller has none and matches no rule. Denials count in the listener's stats,
 * {@code http.<ingress>.rbac.denied} (HTTP) or {@code tcp.<ingress>.rbac.denied} (tcp, beside the
 * tcp_proxy's stats), one per service.
 */
final class RbacFilters {
  static final String HTTP_FILTER = "envoy.filters.http.rbac";
  static final String NETWORK_FILTER = "envoy.filters.network.rbac";

  private RbacFilters() {}

  /** The HTTP filters that go before the router, in order; none when nothing is enforced. */
  static List<HttpFilter> http(String namespace, IngressAuthorization authz) {
    List<HttpFilter> out = new ArrayList<>();
    for (RBAC rules : rbacs(namespace, authz, true)) {
      var config = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(rules).build();
      out.add(HttpFilter.newBuilder().setName(HTTP_FILTER).setTypedConfig(Protos.any(config)).build());
    }
    return out;
  }

  /** The network filters that go before tcp_proxy, in order; none when nothing is enforced. */
  static List<Filter> network(String listenerName, String namespace, IngressAuthorization authz) {
    List<Filter> out = new ArrayList<>();
    for (RBAC rules : rbacs(namespace, authz, false)) {
      var config = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
          .setStatPrefix("tcp." + Protos.statPrefix(listenerName) + ".").setRules(rules).build();
      out.add(Filter.newBuilder().setName(NETWORK_FILTER).setTypedConfig(Protos.any(config)).build());
    }
    return out;
  }

  private static List<RBAC> rbacs(String namespace, IngressAuthorization authz, boolean http) {
    List<RBAC> out = new ArrayList<>();
    List<Authorization> deny = authz.withAction(AuthorizationAction.DENY);
    if (!deny.isEmpty()) {
      out.add(rbac(RBAC.Action.DENY, namespace, deny, authz.trustDomain(), http));
    }
    if (authz.defaultAction() == AuthorizationAction.DENY) {
      out.add(rbac(RBAC.Action.ALLOW, namespace, authz.withAction(AuthorizationAction.ALLOW), authz.trustDomain(), http));
    }
    return out;
  }

  private static RBAC rbac(RBAC.Action action, String namespace, List<Authorization> rules, TrustDomain domain,
      boolean http) {
    RBAC.Builder rbac = RBAC.newBuilder().setAction(action);
    for (Authorization rule : rules) {
      if (!http && !rule.http().isEmpty() && action == RBAC.Action.ALLOW) {
        continue; // http matches on a service that became tcp: an allow that cannot match allows nothing
      }
      rbac.putPolicies(rule.name(), Policy.newBuilder()
          .addPrincipals(principal(namespace, rule.from(), domain))
          .addPermissions(http ? permission(rule.http()) : any())
          .build());
    }
    return rbac.build();
  }

  /**
   * The caller by its certificate's URI SAN: one service's identity (of this namespace, or {@code ns/svc}
   * of another), every identity of another namespace ({@code ns/*}), or any identity of the mesh.
   */
  private static Principal principal(String namespace, String from, TrustDomain domain) {
    int slash = from.indexOf('/');
    String ns = slash < 0 ? namespace : from.substring(0, slash);
    String svc = slash < 0 ? from : from.substring(slash + 1);
    if (Authorization.ANY_CALLER.equals(from)) {
      return authenticated(StringMatcher.newBuilder().setPrefix(domain.prefix()).build());
    }
    return authenticated(Authorization.ANY_CALLER.equals(svc)
        ? StringMatcher.newBuilder().setPrefix(domain.namespacePrefix(ns)).build()
        : StringMatcher.newBuilder().setExact(domain.service(ns, svc)).build());
  }

  /** A caller whose certificate's URI SAN matches {@code name}; a plaintext caller has none and never matches. */
  static Principal authenticated(StringMatcher name) {
    return Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(name)).build();
  }

  /** Any of the rule's http entries (none: any call); an entry is its paths and its methods. */
  private static Permission permission(List<HttpMatch> http) {
    if (http.isEmpty()) {
      return any();
    }
    List<Permission> entries = new ArrayList<>();
    for (HttpMatch match : http) {
      List<Permission> both = new ArrayList<>();
      if (!match.pathsOrAny().isEmpty()) {
        both.add(anyOf(match.pathsOrAny().stream().map(RbacFilters::path).toList()));
      }
      if (!match.methodsOrAny().isEmpty()) {
        both.add(anyOf(match.methodsOrAny().stream().map(RbacFilters::method).toList()));
      }
      entries.add(both.size() == 1 ? both.get(0)
          : Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(both)).build());
    }
    return anyOf(entries);
  }

  /** {@code /pay} exactly, or {@code /refunds/*} as the prefix {@code /refunds/}; the query is not part of it. */
  private static Permission path(String path) {
    StringMatcher m = path.endsWith("*")
        ? StringMatcher.newBuilder().setPrefix(path.substring(0, path.length() - 1)).build()
        : StringMatcher.newBuilder().setExact(path).build();
    return Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(m)).build();
  }

  private static Permission method(String method) {
    return Permission.newBuilder().setHeader(HeaderMatcher.newBuilder().setName(":method")
        .setStringMatch(StringMatcher.newBuilder().setExact(method))).build();
  }

  private static Permission anyOf(List<Permission> permissions) {
    return permissions.size() == 1 ? permissions.get(0)
        : Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addAllRules(permissions)).build();
  }

  private static Permission any() {
    return Permission.newBuilder().setAny(true).build();
  }
}
