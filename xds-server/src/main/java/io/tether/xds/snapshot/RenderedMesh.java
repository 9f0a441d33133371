package io.tether.xds.snapshot;

import io.tether.registry.view.RegistryState;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import io.tether.xds.render.TrustDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@link SnapshotPublisher} keeps rendered, by owner: per {@link EgressKey} every service of its
 * namespace, per namespace its ClusterLoadAssignments (shared by every group that calls its services from
 * the same zone, {@link NamespaceAssignments}) and
 * what all its Envoy groups get (the collector cluster of its tracing), per group its ingress. An update re-renders exactly what it touched and says, per group, what that
 * changes ({@link SnapshotDelta}). Confined to the publisher's thread, like the rest of its state.
 */
final class RenderedMesh {
  private final TrustDomain trustDomain;
  /** Per egress some group has, every service of the namespace rendered; server-only groups have none. */
  private final Map<EgressKey, Map<String, RenderedService>> services = new HashMap<>();
  /** Per namespace some group calls the services of, their ClusterLoadAssignments, per zone called from. */
  private final Map<String, NamespaceAssignments> assignments = new HashMap<>();
  /** Per namespace some Envoy group is in, its namespace-wide resources ({@link ServiceRendering#namespaceWide}). */
  private final Map<String, RenderedService> namespaceWide = new HashMap<>();
  /** Per group rendered (and not yet pruned), its ingress resources by served service; maybe none. */
  private final Map<GroupKey, Map<String, RenderedService>> ingress = new HashMap<>();

  RenderedMesh(TrustDomain trustDomain) {
    this.trustDomain = trustDomain;
  }

  /** The namespaces whose services are kept rendered. */
  Set<String> namespaces() {
    return Set.copyOf(assignments.keySet());
  }

  /** How many ClusterLoadAssignments the namespaces kept rendered have rendered: for tests of what a change costs. */
  long assignmentRenders() {
    return assignments.values().stream().mapToLong(NamespaceAssignments::renders).sum();
  }

  /** The groups rendered and not yet pruned. */
  Set<GroupKey> groups() {
    return ingress.keySet();
  }

  /**
   * Re-renders what {@code changes} touched in namespace {@code ns}: per rendered group of it, the
   * deltas to apply to its snapshot (its egress's services, the namespace's assignments, its ingress).
   */
  Map<GroupKey, List<SnapshotDelta>> rerender(RegistryState state, String ns, NamespaceChanges changes) {
    Map<EgressKey, SnapshotDelta> byEgress = new HashMap<>();
    services.forEach((egress, rendered) -> {
      if (egress.namespace().equals(ns)) {
        byEgress.put(egress, rerenderServices(state, egress, rendered, changes));
      }
    });
    NamespaceAssignments claByZone = assignments.get(ns);
    Map<String, SnapshotDelta> endpoints = claByZone == null ? Map.of() : claByZone.rerender(state, changes);
    SnapshotDelta wide = rerenderNamespaceWide(state, ns, changes);
    Map<GroupKey, List<SnapshotDelta>> out = new LinkedHashMap<>();
    for (Map.Entry<GroupKey, Map<String, RenderedService>> e : ingress.entrySet()) {
      GroupKey group = e.getKey();
      if (!group.namespace().equals(ns)) {
        continue;
      }
      SnapshotDelta own = rerenderIngress(state, group, e.getValue(), changes);
      EgressKey egress = EgressKey.of(group);
      List<SnapshotDelta> deltas = new ArrayList<>();
      if (group.kind() == ProxyKind.ENVOY) {
        deltas.add(wide);
      }
      if (egress != null) {
        deltas.add(byEgress.get(egress));
        deltas.add(endpoints.containsKey(group.zone()) ? endpoints.get(group.zone()) : endpoints.get(null));
      }
      deltas.add(own);
      out.put(group, deltas);
    }
    return out;
  }

  /**
   * A group's first rendering, everything it is served as one delta from nothing: its namespace is
   * rendered for its egress if no other group did; a server-only group gets its ingress only.
   */
  SnapshotDelta first(RegistryState state, GroupKey group) {
    String ns = group.namespace();
    List<Collection<RenderedService>> parts = new ArrayList<>();
    if (group.kind() == ProxyKind.ENVOY) {
      parts.add(List.of(namespaceWide.computeIfAbsent(ns, k -> ServiceRendering.namespaceWide(state, ns))));
    }
    EgressKey egress = EgressKey.of(group);
    if (egress != null) {
      parts.add(services.computeIfAbsent(egress, k -> {
        Map<String, RenderedService> all = new HashMap<>();
        state.services(ns).keySet().forEach(svc -> all.put(svc, ServiceRendering.service(state, egress, svc, null, trustDomain)));
        return all;
      }).values());
      parts.add(assignments.computeIfAbsent(ns, k -> new NamespaceAssignments(state, ns)).view(state, group.zone()));
    }
    Map<String, RenderedService> own = new HashMap<>();
    group.served().forEach(s -> own.put(s.discoveryName(), ServiceRendering.ingress(state, ns, s, trustDomain)));
    ingress.put(group, own);
    parts.add(own.values());
    SnapshotDelta all = new SnapshotDelta();
    for (Collection<RenderedService> part : parts) {
      part.forEach(r -> all.diff(RenderedService.NONE, r));
    }
    return all;
  }

  /** Forgets the groups not in {@code live}, and the egresses and namespaces no remaining group needs. */
  void retain(Set<GroupKey> live) {
    ingress.keySet().retainAll(live);
    Set<EgressKey> needed = new HashSet<>();
    Set<String> namespaces = new HashSet<>();
    Map<String, Set<String>> zones = new HashMap<>();
    Set<String> withEnvoys = new HashSet<>();
    for (GroupKey g : ingress.keySet()) {
      if (g.kind() == ProxyKind.ENVOY) {
        withEnvoys.add(g.namespace());
      }
      EgressKey egress = EgressKey.of(g);
      if (egress != null) {
        needed.add(egress);
        namespaces.add(g.namespace());
        zones.computeIfAbsent(g.namespace(), k -> new HashSet<>()).add(g.zone());
      }
    }
    services.keySet().retainAll(needed);
    assignments.keySet().retainAll(namespaces);
    assignments.forEach((ns, a) -> a.retainZones(zones.get(ns)));
    namespaceWide.keySet().retainAll(withEnvoys);
  }

  /** The namespace-wide resources change with the namespace only. */
  private SnapshotDelta rerenderNamespaceWide(RegistryState state, String ns, NamespaceChanges changes) {
    SnapshotDelta delta = new SnapshotDelta();
    RenderedService before = namespaceWide.get(ns);
    if (before != null && changes.namespace) {
      RenderedService after = ServiceRendering.namespaceWide(state, ns);
      delta.diff(before, after);
      namespaceWide.put(ns, after);
    }
    return delta;
  }

  private SnapshotDelta rerenderServices(RegistryState state, EgressKey egress, Map<String, RenderedService> rendered,
      NamespaceChanges changes) {
    String ns = egress.namespace();
    Set<String> todo = new HashSet<>(changes.specs);
    Map<String, Map<String, String>> vipsBySvc = new HashMap<>(); // worked out once, to compare and to render
    if (changes.namespace) {
      todo.addAll(rendered.keySet());
      todo.addAll(state.services(ns).keySet());
    } else if (changes.vips) {
      rendered.forEach((svc, r) -> {
        var spec = state.service(ns, svc);
        if (spec.isPresent()) {
          Map<String, String> vips = ServiceRendering.vipsOf(spec.get().value(), state.vips(ns));
          if (!vips.equals(r.vips())) {
            todo.add(svc);
            vipsBySvc.put(svc, vips);
          }
        }
      });
    }
    if (egress.certificates()) {
      // The one endpoint change that touches a cluster: it turned its proxyless TLS on or off.
      for (String svc : changes.endpoints) {
        RenderedService r = rendered.get(svc);
        if (r != null && r.proxylessTls() != ServiceRendering.proxylessTls(state, egress, svc)) {
          todo.add(svc);
        }
      }
    }
    SnapshotDelta delta = new SnapshotDelta();
    for (String svc : todo) {
      replace(rendered, svc, ServiceRendering.service(state, egress, svc, vipsBySvc.get(svc), trustDomain), delta);
    }
    return delta;
  }

  private SnapshotDelta rerenderIngress(RegistryState state, GroupKey group, Map<String, RenderedService> own,
      NamespaceChanges changes) {
    SnapshotDelta delta = new SnapshotDelta();
    for (ServedService served : group.served()) {
      String svc = served.discoveryName();
      if (changes.namespace || changes.specs.contains(svc) || changes.authorized.contains(svc)) {
        replace(own, svc, ServiceRendering.ingress(state, group.namespace(), served, trustDomain), delta);
      }
    }
    return delta;
  }

  static void replace(Map<String, RenderedService> owner, String key, RenderedService after, SnapshotDelta delta) {
    RenderedService before = owner.getOrDefault(key, RenderedService.NONE);
    delta.diff(before, after);
    if (after == RenderedService.NONE) {
      owner.remove(key);
    } else {
      owner.put(key, after);
    }
  }
}
