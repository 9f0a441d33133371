package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Decides what an incremental (delta) response carries: changed and newly subscribed resources, and removals. */
final class DeltaPlanner {
  private DeltaPlanner() {}

  record Plan(Map<String, VersionedResource<?>> resources, List<String> removed) {}

  /**
   * @param known the versions the client acknowledged, by name (tracked by the stream)
   * @param pending names the client subscribed to and has not received
   */
  static Optional<Plan> plan(TypeState state, Map<String, String> known, Set<String> pending, boolean wildcard,
      TypeResources current) {
    Set<String> subscribed = new HashSet<>(known.keySet());
    subscribed.addAll(pending);
    if (wildcard) {
      subscribed.addAll(current.resources().keySet());
    }
    Map<String, VersionedResource<?>> send = new LinkedHashMap<>();
    List<String> removed = new ArrayList<>();
    for (String name : subscribed) {
      VersionedResource<?> r = current.resources().get(name);
      if (r == null) {
        if (known.containsKey(name)) {
          removed.add(name);
        }
      } else if (state.owes(name, r.version(), known.get(name))) {
        send.put(name, r);
      }
    }
    if (send.isEmpty() && removed.isEmpty()) {
      // A wildcard subscription's first answer is due even when there is nothing: Envoy holds its
      // initialisation (and /ready) until it has one, for 15 s per type, in a namespace without services.
      return wildcard && !state.responded ? Optional.of(new Plan(send, removed)) : Optional.empty();
    }
    return Optional.of(new Plan(send, removed));
  }
}
