package io.tether.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tether.model.Namespace;
import io.tether.model.ServiceSpec;
import io.tether.registry.view.ImportState;
import io.tether.registry.view.Importer;
import io.tether.registry.view.RegistryState;
import java.util.Comparator;
import java.util.List;

/**
 * A service as {@code ?effective=true} answers it: the effective spec, and where it stands across
 * namespaces (README "Exports and imports"): an import's {@code importState}, and on an exporter every
 * import that names it with that import's state. An import's own policy is not filled in: it has none,
 * its exporter's applies.
 */
record EffectiveService(@JsonUnwrapped ServiceSpec spec, ImportState importState,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ImportedBy> importedBy) {

  /** One import of the service: its namespace, its own name there, and its state. */
  record ImportedBy(String namespace, String service, ImportState state) {}

  static EffectiveService of(RegistryState state, String ns, ServiceSpec spec, Namespace namespace) {
    String svc = spec.discoveryName();
    if (spec.importFrom() != null) {
      return new EffectiveService(spec, ImportState.of(state, ns, svc), List.of());
    }
    List<ImportedBy> importers = state.importers().of(ns, svc).stream()
        .sorted(Comparator.comparing(Importer::namespace).thenComparing(Importer::service))
        .map(i -> new ImportedBy(i.namespace(), i.service(), ImportState.of(state, i.namespace(), i.service())))
        .toList();
    return new EffectiveService(spec.effective(namespace), null, importers);
  }
}
