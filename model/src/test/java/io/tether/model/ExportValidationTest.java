package io.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code exports} and {@code importFrom} as the API receives them (README "Exports and imports"): every
 * refusal names its JSON path; a spec without them is written as before they existed.
 */
class ExportValidationTest {
  static final String IMPORT = "\"importFrom\":{\"namespace\":\"prod\",\"service\":\"payments\"}";

  static ServiceSpec validate(String json) {
    return Validation.service("dev", "pay", Json.parse(json.getBytes(StandardCharsets.UTF_8), ServiceSpec.class));
  }

  static String spec(String fields) {
    return "{\"portName\":\"p\",\"clientAliases\":[{\"dnsName\":\"pay\",\"port\":8080}]" + fields + "}";
  }

  private static Arguments bad(String description, String fields, String field, String message) {
    return Refusal.row(description, spec(fields), field, message);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        bad("export to its own namespace", ",\"exports\":[\"dev\"]", "exports[0]", "own namespace"),
        bad("export listed twice", ",\"exports\":[\"qa\",\"qa\"]", "exports[1]", "listed twice"),
        bad("export not a label", ",\"exports\":[\"Q A\"]", "exports[0]", "DNS label"),
        bad("export null", ",\"exports\":[null]", "exports[0]", "required"),
        bad("import from its own namespace", ",\"importFrom\":{\"namespace\":\"dev\",\"service\":\"payments\"}",
            "importFrom.namespace", "own namespace"),
        bad("import without a service", ",\"importFrom\":{\"namespace\":\"prod\"}", "importFrom.service", "required"),
        bad("import without a namespace", ",\"importFrom\":{\"service\":\"payments\"}", "importFrom.namespace",
            "required"),
        bad("import exported again", "," + IMPORT + ",\"exports\":[\"qa\"]", "exports", "exported again"),
        bad("import with a protocol", ",\"appProtocol\":\"http\"," + IMPORT, "appProtocol", "exporter's protocol"),
        bad("import with subsets", "," + IMPORT + ",\"subsets\":[{\"name\":\"v1\",\"labels\":{\"v\":\"1\"}}]",
            "subsets", "exporter's subsets"),
        bad("import with a split", "," + IMPORT + ",\"split\":[{\"weight\":100}]", "split", "exporter's split"),
        bad("import with a policy", "," + IMPORT + ",\"timeout\":{\"perRequestTimeoutSeconds\":3}", "timeout",
            "exporter's policy"),
        bad("import with an ingress port", "," + IMPORT + ",\"ingressPortOverride\":9000", "ingressPortOverride",
            "no endpoints"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesNamingTheField(Refusal row) {
    row.assertRefusedBy(json -> validate(json));
  }

  @Test
  void routesOfAnImportAreRefusedAsAnImports() {
    // Not as a tcp service's routes would be: an import declares no protocol, it takes the exporter's.
    assertThatThrownBy(() -> validate(spec("," + IMPORT + ",\"routes\":[{\"name\":\"r\",\"match\":{\"path\":"
        + "{\"prefix\":\"/\"}},\"to\":[{\"service\":\"x\"}]}]")))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("routes"))
        .hasMessageContaining("exporter's routes");
  }

  @Test
  void acceptsExportsAndImportsAndWritesThemBack() {
    ServiceSpec exporter = validate(spec(",\"exports\":[\"qa\",\"staging\"]"));
    assertThat(exporter.exports()).containsExactly("qa", "staging");
    assertThat(Json.writeString(exporter)).contains("\"exports\":[\"qa\",\"staging\"]");
    ServiceSpec importer = validate(spec("," + IMPORT));
    assertThat(importer.importFrom()).isEqualTo(new ImportFrom("prod", "payments"));
    assertThat(Json.writeString(importer)).contains(IMPORT);
  }

  @Test
  void aSpecWithoutThemIsWrittenAsBefore() {
    String written = Json.writeString(validate(spec("")));
    assertThat(written).doesNotContain("exports").doesNotContain("importFrom");
  }

  @Test
  void importersGetOnlyWhatStaysWithinTheExportedService() {
    String json = "{\"portName\":\"p\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"payments\","
        + "\"port\":8080}],\"subsets\":[{\"name\":\"v2\",\"labels\":{\"version\":\"v2\"}}],"
        + "\"routes\":[{\"name\":\"own\",\"match\":{\"path\":{\"prefix\":\"/v2\"}},\"to\":[{\"subset\":\"v2\"}]},"
        + "{\"name\":\"other\",\"match\":{\"path\":{\"prefix\":\"/ledger\"}},\"to\":[{\"service\":\"ledger\"}]}],"
        + "\"split\":[{\"weight\":90},{\"service\":\"ledger\",\"weight\":10}],\"exports\":[\"dev\"]}";
    ServiceSpec exporter = Validation.service("prod", "payments",
        Json.parse(json.getBytes(StandardCharsets.UTF_8), ServiceSpec.class));
    ServiceSpec imported = exporter.asImportedUnder(List.of(new ClientAlias("pay", 9090)));
    assertThat(imported.routes()).extracting(RouteRule::name).containsExactly("own");
    assertThat(imported.traffic().split()).isEmpty();
    assertThat(imported.traffic().subsets()).hasSize(1);
    assertThat(imported.clientAliases()).containsExactly(new ClientAlias("pay", 9090));
    assertThat(imported.exports()).isEmpty();
  }
}
