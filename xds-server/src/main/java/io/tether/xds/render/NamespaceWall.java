package io.tether.xds.render;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The namespace wall on every ingress listener (docs/security.md "The namespace wall"): an RBAC filter,
 * first of all, that denies a caller whose mesh identity is of a namespace other than the service's own
 * and those it is exported to, so a caller of another namespace that knows the address is refused (403,
 * PERMISSION_DENIED, or a closed connection) whatever the authorization rules say. It denies and never
 * allows: a plaintext caller (PERMISSIVE or DISABLED) has no identity to wall on, and is left to the
 * service's authorization default as before. Denials count with the rules' ({@code rbac.denied}).
 */
final class NamespaceWall {
  static final String NAME = "tether.namespace-wall";
  static final String POLICY = "other-namespaces";

  private NamespaceWall() {}

  static HttpFilter http(String namespace, List<String> exports, TrustDomain domain) {
    var config = io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()
        .setRules(rules(namespace, exports, domain)).build();
    return HttpFilter.newBuilder().setName(NAME).setTypedConfig(Protos.any(config)).build();
  }

  static Filter network(String listenerName, String namespace, List<String> exports, TrustDomain domain) {
    var config = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
        .setStatPrefix("tcp." + Protos.statPrefix(listenerName) + ".").setRules(rules(namespace, exports, domain))
        .build();
    return Filter.newBuilder().setName(NAME).setTypedConfig(Protos.any(config)).build();
  }

  /** DENY a mesh identity that is none of {@code namespace}'s and {@code exports}'. */
  static RBAC rules(String namespace, List<String> exports, TrustDomain domain) {
    List<Principal> admitted = new ArrayList<>();
    admitted.add(inNamespace(namespace, domain));
    exports.stream().sorted().forEach(ns -> admitted.add(inNamespace(ns, domain)));
    Principal others = Principal.newBuilder().setAndIds(Principal.Set.newBuilder()
        .addIds(RbacFilters.authenticated(StringMatcher.newBuilder().setPrefix(domain.prefix()).build()))
        .addIds(Principal.newBuilder().setNotId(admitted.size() == 1 ? admitted.get(0)
            : Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(admitted)).build())))
        .build();
    return RBAC.newBuilder().setAction(RBAC.Action.DENY).putPolicies(POLICY, Policy.newBuilder()
        .addPrincipals(others).addPermissions(Permission.newBuilder().setAny(true)).build()).build();
  }

  private static Principal inNamespace(String namespace, TrustDomain domain) {
    return RbacFilters.authenticated(StringMatcher.newBuilder().setPrefix(domain.namespacePrefix(namespace)).build());
  }
}
