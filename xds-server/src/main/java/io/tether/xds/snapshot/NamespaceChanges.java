package io.tether.xds.snapshot;

import io.tether.registry.view.Importer;
import io.tether.registry.view.RegistryChange;
import io.tether.registry.view.RegistryState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One update's changes to one namespace, in the terms rendering needs; a change to an exporter shows in
 * every namespace that imports it, as a change to the import ({@link #byNamespace(Set, RegistryState)}).
 */
final class NamespaceChanges {
  boolean namespace;
  boolean vips;
  final Set<String> specs = new HashSet<>();
  final Set<String> endpoints = new HashSet<>();
  /** The services whose authorization rules changed: only their ingress is re-rendered. */
  final Set<String> authorized = new HashSet<>();

  /**
   * As {@link #byNamespace(Set)}, with each exporter's change carried to its imports (README "Exports and
   * imports"): its spec (exports included) or its namespace's defaults as a spec change of the import, its
   * endpoints as the import's. Found by the importers index, so it costs what the exporter's importers are.
   */
  static Map<String, NamespaceChanges> byNamespace(Set<RegistryChange> changes, RegistryState state) {
    Map<String, NamespaceChanges> out = byNamespace(changes);
    for (Map.Entry<String, NamespaceChanges> e : new ArrayList<>(out.entrySet())) {
      String ns = e.getKey();
      NamespaceChanges c = e.getValue();
      Set<String> specs = new HashSet<>(c.specs);
      if (c.namespace) {
        specs.addAll(state.services(ns).keySet());
      }
      for (String svc : specs) {
        state.importers().of(ns, svc).forEach(i -> of(out, i).specs.add(i.service()));
      }
      for (String svc : c.endpoints) {
        state.importers().of(ns, svc).forEach(i -> of(out, i).endpoints.add(i.service()));
      }
    }
    return out;
  }

  private static NamespaceChanges of(Map<String, NamespaceChanges> out, Importer importer) {
    return out.computeIfAbsent(importer.namespace(), k -> new NamespaceChanges());
  }

  static Map<String, NamespaceChanges> byNamespace(Set<RegistryChange> changes) {
    Map<String, NamespaceChanges> out = new HashMap<>();
    for (RegistryChange c : changes) {
      NamespaceChanges n = out.computeIfAbsent(c.namespace(), k -> new NamespaceChanges());
      if (c instanceof RegistryChange.NamespaceChanged) {
        n.namespace = true;
      } else if (c instanceof RegistryChange.VipsChanged) {
        n.vips = true;
      } else if (c instanceof RegistryChange.ServiceChanged s) {
        n.specs.add(s.service());
      } else if (c instanceof RegistryChange.AuthorizationChanged a) {
        n.authorized.addAll(a.services());
      } else if (c instanceof RegistryChange.EndpointsChanged e) {
        n.endpoints.add(e.service());
      }
    }
    return out;
  }
}
