package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
   * @param onlyNames when not null, the names an update changed (put or removed): only they, the pending
   *     names and the owed resends can be news, so an update costs each waiting watch those names, not
   *     its whole subscription; null means look at every subscribed name
   */
  static Optional<Plan> plan(TypeState state, Map<String, String> known, Set<String> pending, boolean wildcard,
      TypeResources current, Set<String> onlyNames) {
    Set<String> candidates;
    if (onlyNames == null) {
      candidates = new HashSet<>(known.keySet());
      candidates.addAll(pending);
      if (wildcard) {
        candidates.addAll(current.resources().keySet());
      }
    } else {
      candidates = new LinkedHashSet<>();
      for (String name : onlyNames) {
        if (wildcard || known.containsKey(name) || pending.contains(name)) {
          candidates.add(name);
        }
      }
      candidates.addAll(pending);
      candidates.addAll(state.resend);
    }
    Map<String, VersionedResource<?>> send = new LinkedHashMap<>();
    List<String> removed = new ArrayList<>();
    for (String name : candidates) {
      VersionedResource<?> r = current.resources().get(name);
      if (r == null) {
        if (known.containsKey(name)) {
          removed.add(name);
        }
      } else if (state.owes(name, r.version(), known.get(name))) {
        send.put(TypeResources.canonicalName(name, r), r);
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
