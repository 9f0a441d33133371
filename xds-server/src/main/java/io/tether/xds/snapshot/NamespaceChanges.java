package io.tether.xds.snapshot;

import io.tether.registry.view.RegistryChange;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** One update's changes to one namespace, in the terms rendering needs. */
final class NamespaceChanges {
  boolean namespace;
  boolean vips;
  final Set<String> specs = new HashSet<>();
  final Set<String> endpoints = new HashSet<>();
  /** The services whose authorization rules changed: only their ingress is re-rendered. */
  final Set<String> authorized = new HashSet<>();

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
