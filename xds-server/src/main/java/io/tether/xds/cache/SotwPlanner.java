package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a state-of-the-world response carries. Listeners and clusters are full-state types:
 * a response holds every requested resource. Routes and ClusterLoadAssignments are not (xDS spec), so
 * a response holds only those that changed: an endpoint change sends one assignment, not the mesh.
 */
final class SotwPlanner {
  private SotwPlanner() {}

  /** The resources to send and their versions; empty when the client is up to date. */
  record Plan(Map<String, VersionedResource<?>> resources) {
    Map<String, String> versions() {
      Map<String, String> v = new LinkedHashMap<>();
      resources.forEach((name, r) -> v.put(name, r.version()));
      return v;
    }
  }

  /**
   * @param requested names the client asked for; empty means all (wildcard)
   * @param onlyNames when not null, only these names (and those the state owes a resend) can have
   *     changed since the client was last found up to date (a registry update); null means check every
   *     requested name
   */
  static Optional<Plan> plan(TypeState state, Collection<String> requested, TypeResources current,
      boolean fullState, Set<String> onlyNames) {
    if (fullState) {
      return planFullState(state, wanted(requested, current));
    }
    // Only the candidates are looked at, not every requested name: an update that changed one assignment
    // costs each waiting watch that one name (and its owed resends), whatever the size of its subscription.
    Collection<String> candidates = requested.isEmpty() ? current.resources().keySet() : requested;
    boolean filter = false;
    if (onlyNames != null) {
      candidates = new java.util.LinkedHashSet<>(onlyNames);
      candidates.addAll(state.resend);
      filter = !requested.isEmpty();
    }
    Map<String, VersionedResource<?>> changed = new LinkedHashMap<>();
    for (String name : candidates) {
      VersionedResource<?> r = current.resources().get(name);
      if (r != null && (!filter || requested.contains(name)) && state.owes(name, r.version(), state.accepted().get(name))) {
        changed.put(TypeResources.canonicalName(name, r), r);
      }
    }
    return changed.isEmpty() ? Optional.empty() : Optional.of(new Plan(changed));
  }

  private static Optional<Plan> planFullState(TypeState state, Map<String, VersionedResource<?>> wanted) {
    if (!state.responded) {
      return Optional.of(new Plan(wanted)); // even empty: "does not exist" is an answer
    }
    boolean removed = state.accepted().keySet().stream().anyMatch(n -> !wanted.containsKey(n));
    boolean news = false;
    for (Map.Entry<String, VersionedResource<?>> e : wanted.entrySet()) {
      String v = e.getValue().version();
      if (!v.equals(state.accepted().get(e.getKey())) && !v.equals(state.rejected.get(e.getKey()))) {
        news = true;
        break;
      }
    }
    return removed || news ? Optional.of(new Plan(wanted)) : Optional.empty();
  }

  private static Map<String, VersionedResource<?>> wanted(Collection<String> requested, TypeResources current) {
    if (requested.isEmpty()) {
      return new LinkedHashMap<>(current.resources());
    }
    Map<String, VersionedResource<?>> out = new LinkedHashMap<>();
    for (String name : requested) {
      VersionedResource<?> r = current.resources().get(name);
      if (r != null) {
        out.put(TypeResources.canonicalName(name, r), r);
      }
    }
    return out;
  }

  /** The resources of a plan as the java-control-plane response wants them. */
  static List<com.google.protobuf.Message> messages(Plan plan) {
    return plan.resources().values().stream().<com.google.protobuf.Message>map(VersionedResource::resource).toList();
  }
}
