package io.tether.model;

import java.util.List;

/**
 * Service Connect's "test traffic rule", under its own name: calls carrying {@code header} (e.g.
 * {@code x-canary: true}) go to {@code to}, typically the new subset, whatever the split says. Tried before
 * every route rule.
 */
public record TestTrafficRule(String name, HeaderMatch header, List<Destination> to) {
  public TestTrafficRule {
    to = to == null ? List.of() : Lists.copyKeepingNulls(to);
  }

  /** The rule as the route rule it renders as: a match on its one header, no policy of its own. */
  public RouteRule asRoute() {
    return new RouteRule(name, new RouteMatch(null, null, List.of(header), null), to, null, null);
  }
}
