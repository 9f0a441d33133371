package io.tether.registry.view;

import io.tether.model.ImportFrom;
import io.tether.model.ServiceSpec;
import java.util.Map;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * The index from an exporter to the import services that name it in {@code importFrom}, whether or not it
 * exists or exports to them yet, so that a change to the exporter finds what it re-renders without a scan.
 * Persistent, like the rest of {@link RegistryState}: a write of one spec costs what it touched.
 */
public record Importers(PMap<ImportFrom, PSet<Importer>> byExporter) {
  public static final Importers EMPTY = new Importers(HashTreePMap.empty());

  /** Built from scratch: for states put together by hand (tests, benchmarks). */
  static Importers of(PMap<String, NamespaceEntry> namespaces) {
    Importers out = EMPTY;
    for (Map.Entry<String, NamespaceEntry> ns : namespaces.entrySet()) {
      for (Map.Entry<String, ServiceEntry> svc : ns.getValue().services().entrySet()) {
        if (svc.getValue().spec() != null) {
          out = out.with(ns.getKey(), svc.getKey(), null, svc.getValue().spec().value());
        }
      }
    }
    return out;
  }

  /** The import services that name {@code ns/svc}; empty when none does. */
  public Set<Importer> of(String ns, String svc) {
    return byExporter.getOrDefault(new ImportFrom(ns, svc), HashTreePSet.empty());
  }

  /** The index after service {@code ns/svc} went from {@code before} to {@code after} (either may be null). */
  Importers with(String ns, String svc, ServiceSpec before, ServiceSpec after) {
    ImportFrom was = before == null ? null : before.importFrom();
    ImportFrom is = after == null ? null : after.importFrom();
    if (java.util.Objects.equals(was, is)) {
      return this;
    }
    Importer importer = new Importer(ns, svc);
    PMap<ImportFrom, PSet<Importer>> next = byExporter;
    if (was != null) {
      PSet<Importer> left = next.getOrDefault(was, HashTreePSet.empty()).minus(importer);
      next = left.isEmpty() ? next.minus(was) : next.plus(was, left);
    }
    if (is != null) {
      next = next.plus(is, next.getOrDefault(is, HashTreePSet.empty()).plus(importer));
    }
    return new Importers(next);
  }
}
