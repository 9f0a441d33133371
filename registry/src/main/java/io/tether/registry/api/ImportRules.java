package io.tether.registry.api;

import io.tether.model.ErrorCode;
import io.tether.model.ImportFrom;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.registry.view.Importer;
import io.tether.registry.view.RegistryState;

/**
 * The rules of an import service that depend on what is stored (README "Exports and imports"), checked
 * against the view before a write (409): an import has no endpoints, and a namespace imports an exporter
 * once (its cluster is named after the exporter, so two imports of it would render one name twice). The
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

  /** Refuses an import of an exporter this namespace already imports, or over a service that has endpoints. */
  static void requireSoleImport(RegistryState state, String ns, ServiceSpec spec) {
    ImportFrom from = spec.importFrom();
    if (from == null) {
      return;
    }
    String svc = spec.discoveryName();
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
