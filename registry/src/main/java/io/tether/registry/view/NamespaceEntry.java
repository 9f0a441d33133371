package io.tether.registry.view;

import io.tether.model.Versioned;
import io.tether.model.Namespace;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/** One namespace in the view: the namespace itself, its services, and its aliases' VIPs ({@code host:port -> ip}). */
public record NamespaceEntry(
    Versioned<Namespace> namespace, PMap<String, ServiceEntry> services, PMap<String, String> vips) {
  static final NamespaceEntry EMPTY = new NamespaceEntry(null, HashTreePMap.empty(), HashTreePMap.empty());

  NamespaceEntry withNamespace(Versioned<Namespace> ns) {
    return new NamespaceEntry(ns, services, vips);
  }

  NamespaceEntry withService(String name, ServiceEntry entry) {
    return new NamespaceEntry(
        namespace, entry.isEmpty() ? services.minus(name) : services.plus(name, entry), vips);
  }

  NamespaceEntry withVip(String hostPort, String ip) {
    return new NamespaceEntry(namespace, services, ip == null ? vips.minus(hostPort) : vips.plus(hostPort, ip));
  }

  boolean isEmpty() {
    return namespace == null && services.isEmpty() && vips.isEmpty();
  }
}
