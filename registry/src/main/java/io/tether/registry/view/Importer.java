package io.tether.registry.view;

/** An import service, by its namespace and its own name (the local alias): README "Exports and imports". */
public record Importer(String namespace, String service) {}
