package io.tether.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a service's calls are routed beyond "all to the service": its ordered {@code routes}. Unwrapped
 * into the spec's JSON, and left out of it when there are none, so that a spec without routes is stored
 * and answered byte for byte as before routes existed.
 */
public record Traffic(@JsonInclude(JsonInclude.Include.NON_EMPTY) List<RouteRule> routes) {
  public static final Traffic NONE = new Traffic(List.of());

  public Traffic {
    routes = routes == null ? List.of() : Lists.copyKeepingNulls(routes);
  }

  /** The services other than {@code self} that some rule sends calls to, in the order first named. */
  public Set<String> targetsOtherThan(String self) {
    Set<String> targets = new LinkedHashSet<>();
    for (RouteRule rule : routes) {
      for (Destination d : rule.to()) {
        String target = d.serviceOr(self);
        if (!target.equals(self)) {
          targets.add(target);
        }
      }
    }
    return targets;
  }

  /** These routes with every rule's timeout and retry policy filled from the service's effective policy. */
  public Traffic withPolicyFrom(ServicePolicy effective) {
    return new Traffic(routes.stream().map(r -> r.withPolicyFrom(effective)).toList());
  }
}
