package io.tether.model;

/**
 * The {@code importFrom} field of an import service (README "Exports and imports"): the service of another
 * namespace that this one, under its own name (the local alias), stands for. The exporter must list the
 * importer's namespace in its {@code exports} before any call reaches it.
 */
public record ImportFrom(String namespace, String service) {
  /** How the exporter reads in messages and keys: {@code prod/payments}. */
  public String describe() {
    return namespace + "/" + service;
  }
}
