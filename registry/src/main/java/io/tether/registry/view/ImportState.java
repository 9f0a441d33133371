package io.tether.registry.view;

/**
 * Where an import service stands (README "Exports and imports"): ACTIVE while its exporter exists and
 * exports to the import's namespace, and only then rendered; PENDING otherwise, rendered as nothing at all.
 */
public enum ImportState {
  ACTIVE,
  PENDING;

  /** The state of import service {@code ns/svc} in {@code state}. */
  public static ImportState of(RegistryState state, String ns, String svc) {
    return state.activeExporter(ns, svc).isPresent() ? ACTIVE : PENDING;
  }
}
