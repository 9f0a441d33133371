package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.RegistryPerClass;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exports and imports at the REST API (README "Exports and imports"): a bad field is a 400 naming it that
 * writes nothing, an endpoint on an import and a second import of one exporter are 409s, either side may be
 * written first, and {@code ?effective=true} shows an import's state and an exporter's importers.
 */
class ExportsApiTest {
  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  private static final String ENDPOINT = "{\"address\":\"10.0.0.1\",\"port\":80}";

  private static String exporter(String exports) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"payments\","
        + "\"port\":8080}]" + (exports == null ? "" : ",\"exports\":[" + exports + "]") + "}";
  }

  private static String importer(String alias, String ns, String svc) {
    return "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + alias + "\",\"port\":8080}],"
        + "\"importFrom\":{\"namespace\":\"" + ns + "\",\"service\":\"" + svc + "\"}}";
  }

  private static ApiClient namespaces(String... names) {
    ApiClient api = registry.api();
    for (String n : names) {
      api.put("/v1/namespaces/" + n, "{}").expect(201);
    }
    return api;
  }

  private static void refused(ApiClient.Response r, int status, String field, String message) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.errorField()).isEqualTo(field);
    assertThat(r.body().path("error").path("message").asText()).contains(message);
  }

  @Test
  void badFieldsAre400AndWriteNothing() {
    ApiClient api = namespaces("x-bad-prod", "x-bad-dev");
    String svc = "/v1/namespaces/x-bad-prod/services/payments";
    refused(api.put(svc, exporter("\"x-bad-prod\"")), 400, "exports[0]", "own namespace");
    refused(api.put(svc, exporter("\"x-bad-dev\",\"x-bad-dev\"")), 400, "exports[1]", "listed twice");
    refused(api.put(svc, exporter("\"Not A Label\"")), 400, "exports[0]", "DNS label");
    api.get(svc).expect(404);
    String imp = "/v1/namespaces/x-bad-dev/services/pay";
    refused(api.put(imp, importer("pay", "x-bad-dev", "payments")), 400, "importFrom.namespace", "own namespace");
    refused(api.put(imp, "{\"portName\":\"http\",\"importFrom\":{\"namespace\":\"x-bad-prod\"}}"), 400,
        "importFrom.service", "required");
    refused(api.put(imp, "{\"portName\":\"http\",\"importFrom\":{\"namespace\":\"x-bad-prod\",\"service\":\"p\","
        + "\"alias\":\"q\"}}"), 400, "importFrom.alias", "");
    for (String field : new String[] {"\"routes\":[{\"name\":\"r\",\"match\":{\"path\":{\"prefix\":\"/\"}},"
        + "\"to\":[{\"service\":\"x\"}]}]", "\"subsets\":[{\"name\":\"v1\",\"labels\":{\"v\":\"1\"}}]",
        "\"split\":[{\"weight\":100}]", "\"testTraffic\":[{\"name\":\"t\",\"header\":{\"name\":\"x-canary\","
        + "\"exact\":\"true\"},\"to\":[{}]}]"}) {
      String name = field.substring(1, field.indexOf('"', 1));
      String body = importer("pay", "x-bad-prod", "payments").replaceFirst("\\}$", "," + field + "}");
      refused(api.put(imp, body), 400, name, "not allowed beside importFrom");
    }
    api.get(imp).expect(404);
  }

  @Test
  void anUnknownFieldGetsTheSuggestion() {
    ApiClient api = namespaces("x-typo");
    ApiClient.Response r = api.put("/v1/namespaces/x-typo/services/payments",
        exporter(null).replaceFirst("\\}$", ",\"exprts\":[\"dev\"]}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("error").path("message").asText()).contains("exports");
  }

  @Test
  void anEndpointOnAnImportIs409AndAServiceWithEndpointsCannotBecomeOne() {
    ApiClient api = namespaces("x-ep-prod", "x-ep-dev");
    api.put("/v1/namespaces/x-ep-dev/services/pay", importer("pay", "x-ep-prod", "payments")).expect(201);
    refused(api.put("/v1/namespaces/x-ep-dev/services/pay/endpoints/a", ENDPOINT), 409, "endpointId",
        "an import has no endpoints");
    refused(api.put("/v1/namespaces/x-ep-dev/endpoints", "{\"endpoints\":[{\"service\":\"pay\",\"id\":\"a\","
        + "\"endpoint\":" + ENDPOINT + "}]}"), 409, "endpoints[0].service", "an import has no endpoints");
    api.get("/v1/namespaces/x-ep-dev/services/pay/endpoints/a").expect(404);
    api.put("/v1/namespaces/x-ep-dev/services/cart", exporter(null)).expect(201);
    api.put("/v1/namespaces/x-ep-dev/services/cart/endpoints/a", ENDPOINT).expect(201);
    refused(api.put("/v1/namespaces/x-ep-dev/services/cart", importer("cart", "x-ep-prod", "ledger")), 409,
        "importFrom", "has 1 endpoints");
    assertThat(api.get("/v1/namespaces/x-ep-dev/services/cart").expect(200).raw()).doesNotContain("importFrom");
  }

  /** An import can never export, so importing one could never be ACTIVE; nor has it an ingress to authorize. */
  @Test
  void anImportOfAnImportAndARuleToAnImportAre409() {
    ApiClient api = namespaces("x-ii-prod", "x-ii-dev", "x-ii-qa");
    api.put("/v1/namespaces/x-ii-dev/services/pay", importer("pay", "x-ii-prod", "payments")).expect(201);
    refused(api.put("/v1/namespaces/x-ii-qa/services/pay", importer("pay", "x-ii-dev", "pay")), 409, "importFrom",
        "is itself an import of x-ii-prod/payments");
    api.get("/v1/namespaces/x-ii-qa/services/pay").expect(404);

    refused(api.put("/v1/namespaces/x-ii-dev/authorizations/to-pay", "{\"from\":\"*\",\"to\":\"pay\","
        + "\"action\":\"ALLOW\"}"), 409, "to", "an import has no ingress of its own");
    api.get("/v1/namespaces/x-ii-dev/authorizations/to-pay").expect(404);
  }

  @Test
  void aNamespaceImportsAnExporterOnce() {
    ApiClient api = namespaces("x-once-prod", "x-once-dev");
    api.put("/v1/namespaces/x-once-dev/services/pay", importer("pay", "x-once-prod", "payments")).expect(201);
    refused(api.put("/v1/namespaces/x-once-dev/services/pay2", importer("pay2", "x-once-prod", "payments")), 409,
        "importFrom", "already imports x-once-prod/payments");
    api.get("/v1/namespaces/x-once-dev/services/pay2").expect(404);
    api.put("/v1/namespaces/x-once-dev/services/pay", importer("pay", "x-once-prod", "payments")).expect(200);
  }

  /** Two imports of one exporter racing on one etcd: whatever the interleaving, at most one is stored. */
  @Test
  void racingImportsOfOneExporterStoreOneAtMost() {
    ApiClient api = namespaces("x-race-prod", "x-race-dev");
    for (int round = 0; round < 10; round++) {
      List<CompletableFuture<ApiClient.Response>> writes = List.of(
          CompletableFuture.supplyAsync(() -> api.put("/v1/namespaces/x-race-dev/services/pay",
              importer("pay", "x-race-prod", "payments"))),
          CompletableFuture.supplyAsync(() -> api.put("/v1/namespaces/x-race-dev/services/pay2",
              importer("pay2", "x-race-prod", "payments"))));
      List<Integer> statuses = writes.stream().map(w -> w.join().status()).sorted().toList();
      assertThat(statuses).as("round %d: one created, one refused", round).containsExactly(201, 409);
      for (String svc : List.of("pay", "pay2")) {
        if (api.get("/v1/namespaces/x-race-dev/services/" + svc).status() == 200) {
          api.delete("/v1/namespaces/x-race-dev/services/" + svc).expect(204);
        }
      }
    }
  }

  /** A route to a service and that service becoming an import, racing: never both stored. */
  @Test
  void racingRouteAndImportNeverLeaveARouteToAnImport() {
    ApiClient api = namespaces("x-rr-prod", "x-rr-dev");
    String web = "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"web\","
        + "\"port\":8080}],\"routes\":[{\"name\":\"cart\",\"match\":{\"path\":{\"prefix\":\"/cart\"}},"
        + "\"to\":[{\"service\":\"cart\"}]}]}";
    for (int round = 0; round < 10; round++) {
      api.put("/v1/namespaces/x-rr-dev/services/cart", exporter(null)).expect(round == 0 ? 201 : 200);
      List<CompletableFuture<ApiClient.Response>> writes = List.of(
          CompletableFuture.supplyAsync(() -> api.put("/v1/namespaces/x-rr-dev/services/web", web)),
          CompletableFuture.supplyAsync(() -> api.put("/v1/namespaces/x-rr-dev/services/cart",
              importer("cart", "x-rr-prod", "ledger"))));
      writes.forEach(CompletableFuture::join);
      boolean routed = api.get("/v1/namespaces/x-rr-dev/services/web").status() == 200;
      boolean imports = api.get("/v1/namespaces/x-rr-dev/services/cart").expect(200).raw().contains("importFrom");
      assertThat(routed && imports).as("round %d: web routes to cart (%s), cart imports (%s)", round, routed, imports)
          .isFalse();
      assertThat(routed || imports).as("round %d: one of the two writes lands", round).isTrue();
      if (routed) {
        api.delete("/v1/namespaces/x-rr-dev/services/web").expect(204);
      }
    }
  }

  /** An import's cluster is named after its exporter: a route to the import's own name would reach nothing. */
  @Test
  void anImportIsNoDestinationOfARouteSplitOrTestTraffic() {
    ApiClient api = namespaces("x-dest-prod", "x-dest-dev");
    api.put("/v1/namespaces/x-dest-dev/services/pay", importer("pay", "x-dest-prod", "payments")).expect(201);
    String web = "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"web\","
        + "\"port\":8080}],\"routes\":[{\"name\":\"pay\",\"match\":{\"path\":{\"prefix\":\"/pay\"}},"
        + "\"to\":[{\"service\":\"pay\"}]}]}";
    refused(api.put("/v1/namespaces/x-dest-dev/services/web", web), 409, "routes[0].to[0].service",
        "an import is called by its aliases");
    api.get("/v1/namespaces/x-dest-dev/services/web").expect(404);

    api.put("/v1/namespaces/x-dest-dev/services/cart", exporter(null)).expect(201);
    api.put("/v1/namespaces/x-dest-dev/services/web", web.replace("\"pay\"}", "\"cart\"}")).expect(201);
    refused(api.put("/v1/namespaces/x-dest-dev/services/cart", importer("cart", "x-dest-prod", "ledger")), 409,
        "importFrom", "is a destination of web");
  }

  @Test
  void eitherSideMayComeFirstAndEffectiveShowsTheState() {
    ApiClient api = namespaces("x-eff-prod", "x-eff-dev", "x-eff-qa");
    api.put("/v1/namespaces/x-eff-dev/services/pay", importer("pay", "x-eff-prod", "payments")).expect(201);
    assertThat(effective(api, "x-eff-dev", "pay").path("importState").asText()).isEqualTo("PENDING");
    api.put("/v1/namespaces/x-eff-prod/services/payments", exporter(null)).expect(201);
    assertThat(effective(api, "x-eff-dev", "pay").path("importState").asText()).isEqualTo("PENDING");
    JsonNode exporter = effective(api, "x-eff-prod", "payments");
    assertThat(exporter.path("importedBy").get(0).path("state").asText()).isEqualTo("PENDING");
    api.put("/v1/namespaces/x-eff-prod/services/payments", exporter("\"x-eff-dev\"")).expect(200);
    assertThat(effective(api, "x-eff-dev", "pay").path("importState").asText()).isEqualTo("ACTIVE");
    api.put("/v1/namespaces/x-eff-qa/services/payments", importer("payments", "x-eff-prod", "payments")).expect(201);
    exporter = effective(api, "x-eff-prod", "payments");
    assertThat(exporter.path("importedBy").toString()).isEqualTo("[{\"namespace\":\"x-eff-dev\",\"service\":\"pay\","
        + "\"state\":\"ACTIVE\"},{\"namespace\":\"x-eff-qa\",\"service\":\"payments\",\"state\":\"PENDING\"}]");
    assertThat(exporter.has("importState")).isFalse();
    assertThat(exporter.path("timeout").isObject()).as("the exporter's effective policy").isTrue();
    // The stored spec shows neither: they are the registry's, not the operator's.
    assertThat(api.get("/v1/namespaces/x-eff-dev/services/pay").expect(200).raw()).doesNotContain("importState");
    assertThat(api.get("/v1/namespaces/x-eff-prod/services/payments").expect(200).raw()).doesNotContain("importedBy");
    api.put("/v1/namespaces/x-eff-prod/services/payments", exporter(null)).expect(200);
    assertThat(effective(api, "x-eff-dev", "pay").path("importState").asText()).isEqualTo("PENDING");
    api.delete("/v1/namespaces/x-eff-prod/services/payments").expect(204);
    assertThat(effective(api, "x-eff-dev", "pay").path("importState").asText()).isEqualTo("PENDING");
    assertThat(api.get("/v1/namespaces/x-eff-dev/services").expect(200).body().path("items").get(0)
        .path("importFrom").path("service").asText()).isEqualTo("payments");
  }

  private static JsonNode effective(ApiClient api, String ns, String svc) {
    return api.get("/v1/namespaces/" + ns + "/services/" + svc + "?effective=true").expect(200).body();
  }
}
