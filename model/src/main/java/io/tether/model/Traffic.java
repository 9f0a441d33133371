package io.tether.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a service's calls are routed beyond "all to the service": its ordered {@code routes}, its
 * {@code subsets} (by endpoint label), the {@code split} of its default route between them, and its
 * {@code testTraffic} rules. Unwrapped into the spec's JSON, and each left out of it when empty, so that a
 * spec without them is stored and answered byte for byte as before they existed.
 */
public record Traffic(
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RouteRule> routes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Subset> subsets,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Destination> split,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TestTrafficRule> testTraffic) {
  public static final Traffic NONE = new Traffic(List.of());

  public Traffic {
    routes = routes == null ? List.of() : Lists.copyKeepingNulls(routes);
    subsets = subsets == null ? List.of() : Lists.copyKeepingNulls(subsets);
    split = split == null ? List.of() : Lists.copyKeepingNulls(split);
    testTraffic = testTraffic == null ? List.of() : Lists.copyKeepingNulls(testTraffic);
  }

  /** Routes only. */
  public Traffic(List<RouteRule> routes) {
    this(routes, List.of(), List.of(), List.of());
  }

  /** The services other than {@code self} that some rule, the split or a test traffic rule sends calls to. */
  public Set<String> targetsOtherThan(String self) {
    return subsetTargets(self).keySet();
  }

  /**
   * Per service other than {@code self} that calls are sent to, the subsets of it named (empty: the whole
   * service only), in name order: what must exist for this spec's destinations to mean something.
   */
  public Map<String, Set<String>> subsetTargets(String self) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Destination d : destinations()) {
      String target = d.serviceOr(self);
      if (!target.equals(self)) {
        Set<String> subsetsOf = out.computeIfAbsent(target, t -> new TreeSet<>());
        if (d.subset() != null) {
          subsetsOf.add(d.subset());
        }
      }
    }
    return out;
  }

  /** Every destination named, in order: test traffic rules', routes', then the split's. */
  public List<Destination> destinations() {
    List<Destination> out = new ArrayList<>();
    testTraffic.forEach(t -> out.addAll(t.to()));
    routes.forEach(r -> out.addAll(r.to()));
    out.addAll(split);
    return out;
  }

  /** The names of the subsets, in the order declared. */
  public Set<String> subsetNames() {
    Set<String> names = new LinkedHashSet<>();
    subsets.forEach(s -> names.add(s.name()));
    return names;
  }

  /** These rules with every route's timeout and retry policy filled from the service's effective policy. */
  public Traffic withPolicyFrom(ServicePolicy effective) {
    return new Traffic(routes.stream().map(r -> r.withPolicyFrom(effective)).toList(), subsets, split, testTraffic);
  }

  /** Without the routing (routes, split, test traffic): what the service's clusters are rendered from. */
  public Traffic subsetsOnly() {
    return new Traffic(List.of(), subsets, List.of(), List.of());
  }
}
