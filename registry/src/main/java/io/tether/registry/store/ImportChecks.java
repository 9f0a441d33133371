package io.tether.registry.store;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.tether.model.ErrorCode;
import io.tether.model.ImportFrom;
import io.tether.model.RegistryException;
import io.tether.model.ServiceSpec;
import io.tether.model.json.Json;
import java.util.Objects;

/**
 * The rules of an import (README "Exports and imports") that other specs of its namespace decide, checked
 * inside the service put's transaction: a namespace imports an exporter once (its cluster is named after
 * the exporter, so two imports of it would render one name twice), and an import is no destination of a
 * route, split or test traffic rule (a destination by the import's name would name no cluster). A put that
 * makes a service an import reads the namespace's specs and compares its guard, which every put that adds
 * a destination touches, so two racing writes cannot both get past; {@link RouteTargets} refuses the other
 * order, a destination to a service that is already an import.
 */
final class ImportChecks {
  private ImportChecks() {}

  /** True when {@code spec} imports an exporter that {@code previous} (null: none stored) did not. */
  static boolean introducesImport(ServiceSpec previous, ServiceSpec spec) {
    return spec.importFrom() != null && (previous == null || !Objects.equals(previous.importFrom(), spec.importFrom()));
  }

  /**
   * Refuses {@code spec}, a new import in {@code ns}, when another service of the namespace ({@code services},
   * a prefix read of its specs) imports the same exporter (409 ALREADY_EXISTS) or sends calls to it (409).
   */
  static void requireSoleImport(String ns, ServiceSpec spec, GetResponse services) {
    ImportFrom from = spec.importFrom();
    String svc = spec.discoveryName();
    for (KeyValue kv : services.getKvs()) {
      ServiceSpec other = Json.read(kv.getValue().getBytes(), ServiceSpec.class);
      String name = other.discoveryName();
      if (name.equals(svc)) {
        continue;
      }
      if (from.equals(other.importFrom())) {
        throw new RegistryException(ErrorCode.ALREADY_EXISTS, "service '" + ns + "/" + name + "' already imports "
            + from.describe() + ": a namespace imports a service once", "importFrom");
      }
      if (other.traffic().targetsOtherThan(name).contains(svc)) {
        throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "service '" + ns + "/" + svc + "' is a destination"
            + " of " + name + ": an import cannot be a destination; remove it there first", "importFrom");
      }
    }
  }
}
