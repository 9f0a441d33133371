package io.tether.registry.api;

import io.tether.model.ErrorCode;
import io.tether.model.ImportFrom;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.registry.view.RegistryState;

/**
 * An import's rules that what is stored decides but racing writes cannot break (README "Exports and
 * imports"): an import has no endpoints of its own and imports no import, checked against the view before a
 * write (409). The view may trail etcd by a moment, so a write racing another can
 * slip past; that is harmless, since rendering takes an import's endpoints from its exporter only, so an
 * endpoint on an import is never called. The rules that racing writes could break (one import of an exporter
 * per namespace, no import as a destination) are checked in the store's transaction (ImportChecks).
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
   * Refuses making {@code spec} an import while its service has endpoints of its own, or of an exporter that
   * is itself an import (which can never export, so the import would stay PENDING): import its exporter.
   */
  static void requireImportable(RegistryState state, String ns, ServiceSpec spec) {
    ImportFrom from = spec.importFrom();
    if (from == null) {
      return;
    }
    int endpoints = state.endpoints(ns, spec.discoveryName()).size();
    if (endpoints > 0) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + ns + "/" + spec.discoveryName()
          + "' has " + endpoints + " endpoints: an import has none of its own; deregister them first", "importFrom");
    }
    ImportFrom further = state.service(from.namespace(), from.service()).map(v -> v.value().importFrom()).orElse(null);
    if (further != null) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + from.describe() + "' is itself an "
          + "import of " + further.describe() + ", which it cannot export: import " + further.describe()
          + " directly", "importFrom");
    }
  }
}
