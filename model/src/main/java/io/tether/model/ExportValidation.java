package io.tether.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A service's {@code exports} and {@code importFrom} (README "Exports and imports"). Exports name other
 * namespaces, once each. An import stands for its exporter whole: the exporter's protocol, policy, routing
 * and endpoints apply, so an import that declares any of its own is refused here rather than silently
 * ignored; its endpoints are refused by the store (409), as they depend on what is stored.
 */
final class ExportValidation {
  static final int MAX_EXPORTS = 64;

  private ExportValidation() {}

  static void sharing(String namespace, ServiceSpec spec) {
    exports(namespace, spec.exports());
    if (spec.importFrom() != null) {
      importFrom(namespace, spec);
    }
  }

  private static void exports(String namespace, List<String> exports) {
    if (exports.size() > MAX_EXPORTS) {
      throw new InvalidSpecException("exports", "exports lists at most " + MAX_EXPORTS + " namespaces");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < exports.size(); i++) {
      String field = "exports[" + i + "]";
      Names.requireLabel(field, exports.get(i));
      if (exports.get(i).equals(namespace)) {
        throw new InvalidSpecException(field, field + " is the service's own namespace '" + namespace
            + "': its own namespace always sees it; list the other namespaces it is exported to");
      }
      if (!seen.add(exports.get(i))) {
        throw new InvalidSpecException(field, "namespace '" + exports.get(i) + "' is listed twice in exports");
      }
    }
  }

  private static void importFrom(String namespace, ServiceSpec spec) {
    ImportFrom from = spec.importFrom();
    Names.requireLabel("importFrom.namespace", from.namespace());
    Names.requireLabel("importFrom.service", from.service());
    if (from.namespace().equals(namespace)) {
      throw new InvalidSpecException("importFrom.namespace", "importFrom.namespace is this service's own namespace '"
          + namespace + "': a service of the same namespace is called by its own name");
    }
    notOnImport("exports", !spec.exports().isEmpty(), "an import cannot be exported again");
    notOnImport("routes", !spec.traffic().routes().isEmpty(), "an import takes the exporter's routes");
    notOnImport("subsets", !spec.traffic().subsets().isEmpty(), "an import takes the exporter's subsets");
    notOnImport("split", !spec.traffic().split().isEmpty(), "an import takes the exporter's split");
    notOnImport("testTraffic", !spec.traffic().testTraffic().isEmpty(), "an import takes the exporter's test traffic");
    notOnImport("appProtocol", spec.appProtocol() != null, "an import takes the exporter's protocol");
    notOnImport("ingressPortOverride", spec.ingressPortOverride() != null, "an import has no endpoints to serve");
    String policyField = firstField(spec.policy());
    notOnImport(policyField, policyField != null, "an import takes the exporter's policy");
  }

  private static void notOnImport(String field, boolean present, String why) {
    if (present) {
      throw new InvalidSpecException(field, field + " is not allowed beside importFrom: " + why);
    }
  }

  /** The first policy field the spec sets, by its JSON name; null when it sets none. */
  private static String firstField(ServicePolicy policy) {
    JsonNode tree = Json.MAPPER.valueToTree(policy);
    var names = tree.fieldNames();
    return names.hasNext() ? names.next() : null;
  }
}
