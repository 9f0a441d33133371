package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.RegistryPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET …/services/{name}?effective=true}: the stored service with every policy field filled, its own
 * value first, then its namespace's default, then Service Connect's; the stored body stays as written.
 */
class EffectiveViewTest {
  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  @Test
  void effectiveViewFillsServiceConnectDefaults() {
    registry.api().put("/v1/namespaces/crud-eff", "{}").expect(201);
    registry.api().put("/v1/namespaces/crud-eff/services/web", httpService("web", 80)).expect(201);
    registry.api().put("/v1/namespaces/crud-eff/services/db",
        "{\"portName\":\"pg\",\"appProtocol\":\"tcp\",\"clientAliases\":[{\"dnsName\":\"db\",\"port\":5432}],"
            + "\"retryPolicy\":{\"numRetries\":5}}").expect(201);

    JsonNode raw = registry.api().get("/v1/namespaces/crud-eff/services/web").expect(200).body();
    assertThat(raw.has("timeout")).isFalse();
    assertThat(raw.has("retryPolicy")).isFalse();

    JsonNode web = registry.api().get("/v1/namespaces/crud-eff/services/web?effective=true").expect(200).body();
    assertThat(web.path("timeout").path("perRequestTimeoutSeconds").asInt()).isEqualTo(15);
    assertThat(web.path("timeout").path("idleTimeoutSeconds").asInt()).isEqualTo(300);
    assertThat(web.path("retryPolicy").path("numRetries").asInt()).isEqualTo(2);
    assertThat(web.path("retryPolicy").path("retryOn")).extracting(JsonNode::asText)
        .containsExactly("connect-failure", "refused-stream", "unavailable", "503");
    assertThat(web.path("loadBalancing").asText()).isEqualTo("ROUND_ROBIN");
    assertThat(web.path("outlierDetection").path("consecutive5xx").asInt()).isEqualTo(5);
    assertThat(web.path("circuitBreakers").path("maxConnections").asInt()).isEqualTo(1024);
    assertThat(web.path("healthCheck").path("path").asText()).isEqualTo("/healthz");

    JsonNode db = registry.api().get("/v1/namespaces/crud-eff/services/db?effective=true").expect(200).body();
    assertThat(db.path("timeout").path("idleTimeoutSeconds").asInt()).as("TCP idle timeout").isEqualTo(3600);
    assertThat(db.path("retryPolicy").path("numRetries").asInt()).as("own value wins").isEqualTo(5);
    assertThat(db.path("retryPolicy").path("retryOn")).as("unset leaves filled field by field").hasSize(4);
  }

  @Test
  void aNamespacesEffectiveViewFillsItsTracingDefaults() {
    registry.api().put("/v1/namespaces/crud-trace", "{\"tracing\":{\"collector\":\"10.0.9.4:4317\"}}").expect(201);

    JsonNode raw = registry.api().get("/v1/namespaces/crud-trace").expect(200).body();
    assertThat(raw.path("tracing").has("samplingPercent")).as("stored as written").isFalse();
    JsonNode effective = registry.api().get("/v1/namespaces/crud-trace?effective=true").expect(200).body();
    assertThat(effective.path("tracing").path("collector").asText()).isEqualTo("10.0.9.4:4317");
    assertThat(effective.path("tracing").path("samplingPercent").asDouble()).isEqualTo(1.0);

    registry.api().put("/v1/namespaces/crud-trace",
        "{\"tracing\":{\"collector\":\"otel.observability:4317\",\"samplingPercent\":25}}").expect(200);
    JsonNode own = registry.api().get("/v1/namespaces/crud-trace?effective=true").expect(200).body();
    assertThat(own.path("tracing").path("samplingPercent").asDouble()).isEqualTo(25.0);

    registry.api().put("/v1/namespaces/crud-trace", "{}").expect(200);
    assertThat(registry.api().get("/v1/namespaces/crud-trace?effective=true").expect(200).body().has("tracing"))
        .as("no tracing stays no tracing").isFalse();
  }

  @Test
  void effectiveViewInheritsNamespaceDefaultsFieldByField() {
    registry.api().put("/v1/namespaces/crud-inherit",
        "{\"defaults\":{\"timeout\":{\"perRequestTimeoutSeconds\":3},\"loadBalancing\":\"RANDOM\"}}").expect(201);
    registry.api().put("/v1/namespaces/crud-inherit/services/plain", httpService("plain", 80)).expect(201);
    registry.api().put("/v1/namespaces/crud-inherit/services/own",
        "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"own\",\"port\":80}],"
            + "\"timeout\":{\"perRequestTimeoutSeconds\":7},\"loadBalancing\":\"MAGLEV\"}").expect(201);

    JsonNode plain = registry.api().get("/v1/namespaces/crud-inherit/services/plain?effective=true").expect(200).body();
    assertThat(plain.path("timeout").path("perRequestTimeoutSeconds").asInt()).isEqualTo(3);
    assertThat(plain.path("timeout").path("idleTimeoutSeconds").asInt()).as("unset in namespace too").isEqualTo(300);
    assertThat(plain.path("loadBalancing").asText()).isEqualTo("RANDOM");
    assertThat(plain.path("retryPolicy").path("numRetries").asInt()).isEqualTo(2);

    JsonNode own = registry.api().get("/v1/namespaces/crud-inherit/services/own?effective=true").expect(200).body();
    assertThat(own.path("timeout").path("perRequestTimeoutSeconds").asInt()).isEqualTo(7);
    assertThat(own.path("loadBalancing").asText()).isEqualTo("MAGLEV");

    registry.api().put("/v1/namespaces/crud-inherit", "{\"defaults\":{\"timeout\":{\"perRequestTimeoutSeconds\":9}}}").expect(200);
    JsonNode changed = registry.api().get("/v1/namespaces/crud-inherit/services/plain?effective=true").expect(200).body();
    assertThat(changed.path("timeout").path("perRequestTimeoutSeconds").asInt())
        .as("a namespace change applies to existing services").isEqualTo(9);
    assertThat(changed.path("loadBalancing").asText()).isEqualTo("ROUND_ROBIN");
  }

  @Test
  void effectiveViewShowsZoneAwareOffByDefaultAndInheritedFromTheNamespace() {
    registry.api().put("/v1/namespaces/crud-zone", "{}").expect(201);
    registry.api().put("/v1/namespaces/crud-zone/services/web", httpService("web", 80)).expect(201);
    assertThat(registry.api().get("/v1/namespaces/crud-zone/services/web").expect(200).body().has("zoneAware"))
        .as("stored as written").isFalse();
    JsonNode off = registry.api().get("/v1/namespaces/crud-zone/services/web?effective=true").expect(200).body();
    assertThat(off.path("zoneAware").path("enabled").isBoolean()).isTrue();
    assertThat(off.path("zoneAware").path("enabled").asBoolean()).isFalse();

    registry.api().put("/v1/namespaces/crud-zone", "{\"defaults\":{\"zoneAware\":{\"enabled\":true}}}").expect(200);
    JsonNode on = registry.api().get("/v1/namespaces/crud-zone/services/web?effective=true").expect(200).body();
    assertThat(on.path("zoneAware").path("enabled").asBoolean()).as("the namespace's default").isTrue();
  }

  @Test
  void effectiveViewShowsTheInheritedHashKeyWhereItApplies() {
    String ns = "/v1/namespaces/crud-hash";
    String tcp = "{\"portName\":\"pg\",\"appProtocol\":\"tcp\",\"clientAliases\":[{\"dnsName\":\"db\",\"port\":5432}]}";
    registry.api().put(ns, "{\"defaults\":{\"loadBalancing\":\"RING_HASH\",\"hashOn\":{\"header\":\"x-user-id\"}}}").expect(201);
    registry.api().put(ns + "/services/web", httpService("web", 80)).expect(201);
    registry.api().put(ns + "/services/db", tcp).expect(201);

    assertThat(registry.api().get(ns + "/services/web").expect(200).body().has("hashOn")).isFalse();
    JsonNode web = registry.api().get(ns + "/services/web?effective=true").expect(200).body();
    assertThat(web.path("loadBalancing").asText()).isEqualTo("RING_HASH");
    assertThat(web.path("hashOn").toString()).isEqualTo("{\"header\":\"x-user-id\"}");
    JsonNode db = registry.api().get(ns + "/services/db?effective=true").expect(200).body();
    assertThat(db.path("loadBalancing").asText()).isEqualTo("RING_HASH");
    assertThat(db.has("hashOn")).as("a tcp service cannot hash on a header").isFalse();
  }

  private static String httpService(String dnsName, int port) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + dnsName
        + "\",\"port\":" + port + "}]}";
  }
}
