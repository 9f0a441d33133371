package io.tether.registry.view;

import io.tether.model.Authorization;
import io.tether.model.Versioned;
import java.util.Map;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * A namespace's authorization rules in the view: by name, and by the service they protect ({@code to}),
 * which is what the renderer asks for. A change costs one rule: two small persistent-map paths.
 */
public record NamespaceAuthorizations(PMap<String, Versioned<Authorization>> byName,
    PMap<String, PMap<String, Versioned<Authorization>>> byTo) {
  static final NamespaceAuthorizations EMPTY = new NamespaceAuthorizations(HashTreePMap.empty(), HashTreePMap.empty());

  /** The rules whose {@code to} is this service, by name; empty when none. */
  public Map<String, Versioned<Authorization>> to(String service) {
    return byTo.getOrDefault(service, HashTreePMap.empty());
  }

  /** Puts ({@code rule != null}) or removes one rule, re-indexing it when its {@code to} changed. */
  NamespaceAuthorizations with(String name, Versioned<Authorization> rule) {
    PMap<String, PMap<String, Versioned<Authorization>>> index = byTo;
    Versioned<Authorization> old = byName.get(name);
    if (old != null) {
      index = remove(index, old.value().to(), name);
    }
    if (rule == null) {
      return new NamespaceAuthorizations(byName.minus(name), index);
    }
    String to = rule.value().to();
    index = index.plus(to, index.getOrDefault(to, HashTreePMap.empty()).plus(name, rule));
    return new NamespaceAuthorizations(byName.plus(name, rule), index);
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  private static PMap<String, PMap<String, Versioned<Authorization>>> remove(
      PMap<String, PMap<String, Versioned<Authorization>>> index, String to, String name) {
    PMap<String, Versioned<Authorization>> rules = index.getOrDefault(to, HashTreePMap.empty()).minus(name);
    return rules.isEmpty() ? index.minus(to) : index.plus(to, rules);
  }
}
