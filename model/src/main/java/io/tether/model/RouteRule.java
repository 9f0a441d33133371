package io.tether.model;

import java.util.List;

/**
 * One rule of a service's {@code routes}: calls to the service that match {@code match} go to {@code to}
 * (another service of the namespace, or a weighted split), with this rule's {@code timeout} and
 * {@code retryPolicy} where given, else the service's effective ones. Rules are tried in order; a call
 * no rule matches goes to the service itself.
 */
public record RouteRule(String name, RouteMatch match, List<Destination> to, Timeout timeout, RetryPolicy retryPolicy) {
  public RouteRule {
    to = to == null ? List.of() : Lists.copyKeepingNulls(to);
  }

  /** This rule with its timeout and retry policy filled, field by field, from {@code service}'s. */
  public RouteRule withPolicyFrom(ServicePolicy service) {
    return new RouteRule(name, match, to,
        timeout == null ? service.timeout() : timeout.orElse(service.timeout()),
        retryPolicy == null ? service.retryPolicy() : retryPolicy.orElse(service.retryPolicy()));
  }
}
