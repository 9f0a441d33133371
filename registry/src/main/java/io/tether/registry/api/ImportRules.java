package io.tether.registry.api;

import io.tether.model.ErrorCode;
import io.tether.model.ImportFrom;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.registry.store.RouteTargets;
import io.tether.registry.view.Importer;
import io.tether.registry.view.RegistryState;

/**
 * The rules of an import service that depend on what is stored (README "Exports and imports"), checked
 * against the view before a write (409): an import has no endpoints, is no destination of a route, split or
 * test traffic, and a namespace imports an exporter once (its cluster is named after the exporter, so two
 * imports of it would render one name twice). The
 * view may trail etcd by a moment, so a write racing another can slip past; rendering takes an import's
 * endpoints from its exporter only, so an endpoint that slips onto an import is never called.
 */
final class ImportRules {
  private ImportRules() {}

  /** Refuses a write of an endpoint (named by {@code field}) onto import service {@code ns/svc}. */
  static void requireNotImport(RegistryState state, String ns, String svc, String field) {
    ImportFrom from = state.service(ns, svc).map(v -> v.value().importFrom()).orElse(null);
    if (from != null) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + ns + "/" + svc + "' imports "
          + from.describe() + ": an import has no endpoints of its own, register them on the exporter", field);
    }
  }

  /**
   * Refuses a spec whose routes, split or test traffic send calls to an import of the namespace: an import's
   * cluster is its exporter's, named after it, so a destination by the import's name would name no cluster.
   * Callers reach an import by its aliases.
   */
  static void requireNoImportDestination(RegistryState state, String ns, ServiceSpec spec) {
    for (String target : spec.traffic().targetsOtherThan(spec.discoveryName())) {
      ImportFrom from = state.service(ns, target).map(v -> v.value().importFrom()).orElse(null);
      if (from != null) {
        throw RouteTargets.refusal(spec, target, null, "service '" + target + "' imports " + from.describe()
            + ": an import is called by its aliases, it cannot be a destination");
      }
    }
  }

  /**
   * Refuses an import of an exporter this namespace already imports, over a service that has endpoints, or
   * over one that another service of the namespace sends calls to ({@link #requireNoImportDestination}).
   */
  static void requireSoleImport(RegistryState state, String ns, ServiceSpec spec) {
    ImportFrom from = spec.importFrom();
    if (from == null) {
      requireNoImportDestination(state, ns, spec);
      return;
    }
    String svc = spec.discoveryName();
    for (var other : state.services(ns).entrySet()) {
      ServiceSpec o = other.getValue().spec() == null ? null : other.getValue().spec().value();
      if (o != null && !other.getKey().equals(svc) && o.traffic().targetsOtherThan(other.getKey()).contains(svc)) {
        throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + ns + "/" + svc + "' is a destination"
            + " of " + other.getKey() + ": an import cannot be a destination; remove it there first", "importFrom");
      }
    }
    for (Importer other : state.importers().of(from.namespace(), from.service())) {
      if (other.namespace().equals(ns) && !other.service().equals(svc)) {
        throw new RegistryException(ErrorCode.ALREADY_EXISTS, "service '" + ns + "/" + other.service()
            + "' already imports " + from.describe() + ": a namespace imports a service once", "importFrom");
      }
    }
    int endpoints = state.endpoints(ns, svc).size();
    if (endpoints > 0) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + ns + "/" + svc + "' has " + endpoints
          + " endpoints: an import has none of its own; deregister them first", "importFrom");
    }
  }
}
