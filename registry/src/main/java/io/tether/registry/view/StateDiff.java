package io.tether.registry.view;

import io.tether.model.Authorization;
import io.tether.model.Versioned;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The changes between two whole states: used when the view re-lists etcd instead of following events. */
final class StateDiff {
  private StateDiff() {}

  static Set<RegistryChange> between(RegistryState before, RegistryState after) {
    Set<RegistryChange> changes = new LinkedHashSet<>();
    Set<String> names = new HashSet<>(before.namespaces().keySet());
    names.addAll(after.namespaces().keySet());
    for (String ns : names) {
      NamespaceEntry a = before.namespaces().getOrDefault(ns, NamespaceEntry.EMPTY);
      NamespaceEntry b = after.namespaces().getOrDefault(ns, NamespaceEntry.EMPTY);
      if (a == b) {
        continue;
      }
      if (!Objects.equals(a.namespace(), b.namespace())) {
        changes.add(new RegistryChange.NamespaceChanged(ns));
      }
      if (!a.vips().equals(b.vips())) {
        changes.add(new RegistryChange.VipsChanged(ns));
      }
      diffServices(ns, a.services(), b.services(), changes);
      diffAuthorizations(ns, a.authorizations().byName(), b.authorizations().byName(), changes);
    }
    return changes;
  }

  private static void diffAuthorizations(String ns, Map<String, Versioned<Authorization>> a,
      Map<String, Versioned<Authorization>> b, Set<RegistryChange> out) {
    Set<String> names = new HashSet<>(a.keySet());
    names.addAll(b.keySet());
    for (String name : names) {
      if (!Objects.equals(a.get(name), b.get(name))) {
        out.add(new RegistryChange.AuthorizationChanged(ns, name, StateMutation.callees(a.get(name), b.get(name))));
      }
    }
  }

  private static void diffServices(
      String ns, Map<String, ServiceEntry> a, Map<String, ServiceEntry> b, Set<RegistryChange> out) {
    Set<String> names = new HashSet<>(a.keySet());
    names.addAll(b.keySet());
    for (String svc : names) {
      ServiceEntry x = a.getOrDefault(svc, ServiceEntry.EMPTY);
      ServiceEntry y = b.getOrDefault(svc, ServiceEntry.EMPTY);
      if (!Objects.equals(x.spec(), y.spec())) {
        out.add(new RegistryChange.ServiceChanged(ns, svc));
      }
      if (!x.endpoints().equals(y.endpoints())) {
        out.add(new RegistryChange.EndpointsChanged(ns, svc));
      }
    }
  }
}
