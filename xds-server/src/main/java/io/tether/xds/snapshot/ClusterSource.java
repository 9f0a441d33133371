package io.tether.xds.snapshot;

import io.tether.model.ImportFrom;
import io.tether.model.ServiceSpec;
import io.tether.model.Versioned;
import io.tether.registry.view.RegistryState;

/**
 * The service whose cluster and endpoints the callers of a service get: the service itself, or for an
 * ACTIVE import its exporter (README "Exports and imports"), whose resources keep the exporter's names.
 */
record ClusterSource(String namespace, String service) {
  /** Null for a PENDING import, which renders nothing, and for a service that does not exist. */
  static ClusterSource of(RegistryState state, String ns, String svc) {
    Versioned<ServiceSpec> spec = state.service(ns, svc).orElse(null);
    if (spec == null) {
      return null;
    }
    ImportFrom from = spec.value().importFrom();
    if (from == null) {
      return new ClusterSource(ns, svc);
    }
    return state.activeExporter(ns, svc).isPresent() ? new ClusterSource(from.namespace(), from.service()) : null;
  }
}
