package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.RegistryPerClass;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service's routes name other services of its namespace (README "Routes"): a route to a service that does
 * not exist is refused (409, naming the route's entry) and nothing is written; a service that routes point
 * to cannot be deleted until those routes go; a spec without routes is answered as it always was; and
 * {@code ?effective=true} shows each route's timeout and retry as its calls get them.
 */
class RouteTargetsApiTest {
  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  private static String service(String dnsName, int port, String routes) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + dnsName
        + "\",\"port\":" + port + "}]" + (routes == null ? "" : ",\"routes\":[" + routes + "]") + "}";
  }

  private static String toRefunds(String name) {
    return "{\"name\":\"" + name + "\",\"match\":{\"path\":{\"prefix\":\"/refunds/\"}},"
        + "\"to\":[{\"service\":\"refunds\"}],\"timeout\":{\"perRequestTimeoutSeconds\":30}}";
  }

  @Test
  void aRouteToAMissingServiceIs409AndWritesNothing() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/rt-missing", "{}").expect(201);
    ApiClient.Response r = api.put("/v1/namespaces/rt-missing/services/web", service("web", 8080, toRefunds("r")));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.errorCode()).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.errorField()).isEqualTo("routes[0].to[0].service");
    assertThat(r.body().path("error").path("message").asText())
        .isEqualTo("routes[0].to[0].service: no service 'refunds' in namespace rt-missing");
    api.get("/v1/namespaces/rt-missing/services/web").expect(404);
  }

  @Test
  void aServiceRoutesNameCannotBeDeletedUntilTheRoutesGo() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/rt-delete", "{}").expect(201);
    api.put("/v1/namespaces/rt-delete/services/refunds", service("refunds", 8081, null)).expect(201);
    api.put("/v1/namespaces/rt-delete/services/web", service("web", 8080, toRefunds("r"))).expect(201);
    api.put("/v1/namespaces/rt-delete/services/shop", service("shop", 8082, toRefunds("r"))).expect(201);

    ApiClient.Response refused = api.delete("/v1/namespaces/rt-delete/services/refunds");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().path("error").path("message").asText())
        .isEqualTo("service 'refunds' is a destination of the routes, split or test traffic of: shop, web "
            + "(namespace rt-delete); remove those destinations first");

    api.put("/v1/namespaces/rt-delete/services/web", service("web", 8080, null)).expect(200);
    api.delete("/v1/namespaces/rt-delete/services/shop").expect(204);
    api.delete("/v1/namespaces/rt-delete/services/refunds").expect(204);
  }

  /** Creates and deletes race on one etcd: whatever the interleaving, no stored route names a missing service. */
  @Test
  void racingRouteWritesAndDeletesNeverLeaveARouteToNothing() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/rt-race", "{}").expect(201);
    for (int round = 0; round < 10; round++) {
      api.put("/v1/namespaces/rt-race/services/refunds", service("refunds", 8081, null)).expect(201);
      List<CompletableFuture<ApiClient.Response>> writes = new ArrayList<>();
      writes.add(CompletableFuture.supplyAsync(
          () -> api.put("/v1/namespaces/rt-race/services/web", service("web", 8080, toRefunds("r")))));
      writes.add(CompletableFuture.supplyAsync(() -> api.delete("/v1/namespaces/rt-race/services/refunds")));
      writes.forEach(CompletableFuture::join);
      boolean webRoutes = api.get("/v1/namespaces/rt-race/services/web").status() == 200;
      boolean refunds = api.get("/v1/namespaces/rt-race/services/refunds").status() == 200;
      assertThat(!webRoutes || refunds).as("round %d: web routes to refunds, refunds exists", round).isTrue();
      if (webRoutes) {
        api.delete("/v1/namespaces/rt-race/services/web").expect(204);
      }
      if (refunds) {
        api.delete("/v1/namespaces/rt-race/services/refunds").expect(204);
      }
    }
  }

  @Test
  void aSpecWithoutRoutesIsAnsweredWithoutTheFieldAndTheEffectiveViewFillsEachRule() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/rt-eff", "{\"defaults\":{\"retryPolicy\":{\"numRetries\":4}}}").expect(201);
    api.put("/v1/namespaces/rt-eff/services/refunds", service("refunds", 8081, null)).expect(201);
    assertThat(api.get("/v1/namespaces/rt-eff/services/refunds").expect(200).raw()).doesNotContain("routes");
    api.put("/v1/namespaces/rt-eff/services/web", service("web", 8080, toRefunds("r"))).expect(201);

    JsonNode stored = api.get("/v1/namespaces/rt-eff/services/web").expect(200).body().path("routes").path(0);
    assertThat(stored.has("retryPolicy")).isFalse();
    JsonNode rule = api.get("/v1/namespaces/rt-eff/services/web?effective=true").expect(200).body().path("routes").path(0);
    assertThat(rule.path("timeout").path("perRequestTimeoutSeconds").asInt()).as("the rule's own").isEqualTo(30);
    assertThat(rule.path("timeout").path("idleTimeoutSeconds").asInt()).as("Service Connect's").isEqualTo(300);
    assertThat(rule.path("retryPolicy").path("numRetries").asInt()).as("the namespace's default").isEqualTo(4);
  }
}
