package io.tether.registry.view;

import io.tether.model.Versioned;
import io.tether.model.Namespace;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * One namespace in the view: the namespace itself, its services, its aliases' VIPs ({@code host:port -> ip})
 * and its authorization rules.
 */
public record NamespaceEntry(Versioned<Namespace> namespace, PMap<String, ServiceEntry> services,
    PMap<String, String> vips, NamespaceAuthorizations authorizations) {
  static final NamespaceEntry EMPTY = new NamespaceEntry(null, HashTreePMap.empty(), HashTreePMap.empty());

  /** A namespace without authorization rules. */
  public NamespaceEntry(Versioned<Namespace> namespace, PMap<String, ServiceEntry> services, PMap<String, String> vips) {
    this(namespace, services, vips, NamespaceAuthorizations.EMPTY);
  }

  NamespaceEntry withNamespace(Versioned<Namespace> ns) {
    return new NamespaceEntry(ns, services, vips, authorizations);
  }

  NamespaceEntry withService(String name, ServiceEntry entry) {
    return new NamespaceEntry(
        namespace, entry.isEmpty() ? services.minus(name) : services.plus(name, entry), vips, authorizations);
  }

  NamespaceEntry withVip(String hostPort, String ip) {
    return new NamespaceEntry(namespace, services, ip == null ? vips.minus(hostPort) : vips.plus(hostPort, ip),
        authorizations);
  }

  /** With one rule put ({@code rule != null}) or removed. */
  public NamespaceEntry withAuthorization(String name, Versioned<io.tether.model.Authorization> rule) {
    return new NamespaceEntry(namespace, services, vips, authorizations.with(name, rule));
  }

  boolean isEmpty() {
    return namespace == null && services.isEmpty() && vips.isEmpty() && authorizations.isEmpty();
  }
}
