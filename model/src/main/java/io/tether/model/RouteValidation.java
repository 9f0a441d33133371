package io.tether.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules a service's {@code routes} must satisfy before they may reach etcd (README "Routes"): named
 * once each, matching on something, sending to 1–8 services (or subsets) of the namespace whose weights add up to 100.
 * What a route matches on is checked by {@link RouteMatchValidation}. Whether the services named exist is
 * the store's to check (409), since it depends on what else is stored.
 */
final class RouteValidation {
  static final int MAX_ROUTES = 256;
  static final int MAX_DESTINATIONS = 8;

  private RouteValidation() {}

  static void routes(String service, Traffic traffic, AppProtocol protocol) {
    List<RouteRule> routes = traffic.routes();
    if (routes.isEmpty()) {
      return;
    }
    if (!protocol.isHttp()) {
      throw new InvalidSpecException("routes", "routes need an http, http2 or grpc service; this one is "
          + protocol.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (routes.size() > MAX_ROUTES) {
      throw new InvalidSpecException("routes", "routes holds at most " + MAX_ROUTES + " rules");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      String field = "routes[" + i + "]";
      RouteRule rule = routes.get(i);
      if (rule == null) {
        throw new InvalidSpecException(field, field + " must be an object");
      }
      Names.requireLabel(field + ".name", rule.name());
      if (!names.add(rule.name())) {
        throw new InvalidSpecException(field + ".name", "route name '" + rule.name() + "' is used twice");
      }
      RouteMatchValidation.match(field + ".match", rule.match(), protocol);
      destinations(field + ".to", rule.to(), service, traffic.subsetNames());
      if (rule.timeout() != null) {
        Validation.timeout(field + ".timeout", rule.timeout());
      }
      if (rule.retryPolicy() != null) {
        Validation.retryPolicy(field + ".retryPolicy", rule.retryPolicy());
      }
    }
  }

  /**
   * 1–8 distinct destinations; a weight on each when there are several, 0–100 and adding up to 100; a
   * subset of this service ({@code service} absent or {@code self}) one of {@code ownSubsets}.
   */
  static void destinations(String field, List<Destination> to, String self, Set<String> ownSubsets) {
    if (to.isEmpty() || to.size() > MAX_DESTINATIONS) {
      throw new InvalidSpecException(field, field + " must list 1 to " + MAX_DESTINATIONS + " destinations");
    }
    Set<String> seen = new HashSet<>();
    int sum = 0;
    for (int i = 0; i < to.size(); i++) {
      String entry = field + "[" + i + "]";
      Destination d = to.get(i);
      if (d == null) {
        throw new InvalidSpecException(entry, entry + " must be an object");
      }
      if (d.service() != null) {
        Names.requireLabel(entry + ".service", d.service());
      }
      subset(entry + ".subset", d, self, ownSubsets);
      if (!seen.add(d.describe(self))) {
        String what = d.subset() == null ? "service '" + d.serviceOr(self) + "'" : "subset '" + d.describe(self) + "'";
        throw new InvalidSpecException(entry + (d.subset() == null ? ".service" : ".subset"), what
            + " is listed twice in " + field);
      }
      if (d.weight() == null && to.size() > 1) {
        throw new InvalidSpecException(entry + ".weight", entry + ".weight is required when " + field
            + " lists several destinations");
      }
      Validation.range(entry + ".weight", d.weight(), 0, 100);
      sum += d.weightOrAll();
    }
    if (sum != 100) {
      throw new InvalidSpecException(field, "weights of " + field + " must add up to 100, they add up to " + sum);
    }
  }

  private static void subset(String field, Destination d, String self, Set<String> ownSubsets) {
    if (d.subset() == null) {
      return;
    }
    Names.requireLabel(field, d.subset());
    if (d.serviceOr(self).equals(self) && !ownSubsets.contains(d.subset())) {
      throw new InvalidSpecException(field, "subset '" + d.subset() + "' is not one of this service's subsets ("
          + (ownSubsets.isEmpty() ? "it has none" : String.join(", ", ownSubsets)) + ")");
    }
  }
}
