package io.tether.xds.snapshot;

import io.tether.registry.view.RegistryState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One namespace's ClusterLoadAssignments, in views shared by every group that calls from the same zone:
 * the zoneless view holds every service's (what a caller without a zone gets, and every caller of a
 * service that is not zone-aware), and per zone some live group calls from, its own of the zone-aware
 * services only. So an endpoint change costs one render, plus one per live zone when the service is
 * zone-aware, however many groups there are (README "Zone-aware routing"). Confined to the publisher's
 * thread, like {@link RenderedMesh}.
 */
final class NamespaceAssignments {
  private final String ns;
  /** Every service's assignment for callers without a zone. */
  private final Map<String, RenderedService> zoneless = new HashMap<>();
  /** Per zone, the zone-aware services' assignments for callers in it. */
  private final Map<String, Map<String, RenderedService>> byZone = new HashMap<>();
  /** The services that were zone-aware when last rendered. */
  private final Set<String> zoneAware = new HashSet<>();
  private long renders;

  /** Every service of {@code ns} rendered for callers without a zone. */
  NamespaceAssignments(RegistryState state, String ns) {
    this.ns = ns;
    for (String svc : state.services(ns).keySet()) {
      zoneless.put(svc, render(state, svc, null));
      if (ServiceRendering.zoneAware(state, ns, svc)) {
        zoneAware.add(svc);
      }
    }
  }

  /** How many assignments were rendered so far: for tests of what a change costs. */
  long renders() {
    return renders;
  }

  /** What a group calling from {@code zone} (null: none) gets; a zone no group had before is rendered now. */
  List<RenderedService> view(RegistryState state, String zone) {
    if (zone == null) {
      return List.copyOf(zoneless.values());
    }
    Map<String, RenderedService> own = byZone.computeIfAbsent(zone, z -> {
      Map<String, RenderedService> rendered = new HashMap<>();
      zoneAware.forEach(svc -> rendered.put(svc, render(state, svc, z)));
      return rendered;
    });
    List<RenderedService> out = new ArrayList<>(own.values());
    zoneless.forEach((svc, r) -> {
      if (!own.containsKey(svc)) {
        out.add(r);
      }
    });
    return out;
  }

  /** Forgets the zones no live group calls from any more. */
  void retainZones(Set<String> zones) {
    byZone.keySet().retainAll(zones);
  }

  /**
   * Re-renders what {@code changes} touched: the services whose endpoints or spec changed, and on a
   * namespace change those it turned zone-aware or back. The delta per zone rendered, and under null the
   * zoneless one.
   */
  Map<String, SnapshotDelta> rerender(RegistryState state, NamespaceChanges changes) {
    Set<String> touched = new HashSet<>(changes.endpoints);
    touched.addAll(changes.specs);
    if (changes.namespace) {
      Set<String> all = new HashSet<>(state.services(ns).keySet());
      all.addAll(zoneAware);
      all.stream().filter(svc -> zoneAware.contains(svc) != ServiceRendering.zoneAware(state, ns, svc))
          .forEach(touched::add);
    }
    Map<String, RenderedService> before = new HashMap<>();
    SnapshotDelta plain = new SnapshotDelta();
    for (String svc : touched) {
      before.put(svc, zoneless.getOrDefault(svc, RenderedService.NONE));
      RenderedMesh.replace(zoneless, svc, render(state, svc, null), plain);
      if (ServiceRendering.zoneAware(state, ns, svc)) {
        zoneAware.add(svc);
      } else {
        zoneAware.remove(svc);
      }
    }
    Map<String, SnapshotDelta> out = new HashMap<>();
    out.put(null, plain);
    byZone.forEach((zone, own) -> out.put(zone, rerenderZone(state, zone, own, touched, before)));
    return out;
  }

  /** A zone's view of each touched service, from what it was (its own, else the zoneless one) to what it is. */
  private SnapshotDelta rerenderZone(RegistryState state, String zone, Map<String, RenderedService> own,
      Set<String> touched, Map<String, RenderedService> zonelessBefore) {
    SnapshotDelta delta = new SnapshotDelta();
    for (String svc : touched) {
      RenderedService was = own.containsKey(svc) ? own.remove(svc) : zonelessBefore.get(svc);
      RenderedService now;
      if (zoneAware.contains(svc)) {
        now = render(state, svc, zone);
        own.put(svc, now);
      } else {
        now = zoneless.getOrDefault(svc, RenderedService.NONE);
      }
      delta.diff(was, now);
    }
    return delta;
  }

  private RenderedService render(RegistryState state, String svc, String zone) {
    renders++;
    return ServiceRendering.assignment(state, ns, svc, zone);
  }
}
