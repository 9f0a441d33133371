package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.RegistryPerClass;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subsets of other services as destinations (README "Canaries and test traffic"): naming a subset another
 * service lacks is a 409 at the destination's path, a service cannot drop a subset another still sends
 * calls to, racing writes never leave a destination to a missing subset, and endpoint labels travel in
 * single and batch registrations.
 */
class SubsetTargetsApiTest {
  @RegisterExtension
  static final RegistryPerClass registry = new RegistryPerClass();

  private static String api(int port, String subsets) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"api\",\"port\":" + port
        + "}]" + (subsets == null ? "" : ",\"subsets\":[" + subsets + "]") + "}";
  }

  private static final String V2 = "{\"name\":\"v2\",\"labels\":{\"version\":\"v2\"}}";

  private static final String WEB_TO_API_V2 = "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":"
      + "[{\"dnsName\":\"web\",\"port\":8080}],\"split\":[{\"service\":\"api\",\"subset\":\"v2\",\"weight\":10},"
      + "{\"service\":\"api\",\"weight\":90}]}";

  @Test
  void aDestinationToASubsetTheOtherServiceLacksIs409() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/sub-missing", "{}").expect(201);
    api.put("/v1/namespaces/sub-missing/services/api", api(8081, null)).expect(201);
    ApiClient.Response r = api.put("/v1/namespaces/sub-missing/services/web", WEB_TO_API_V2);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.errorField()).isEqualTo("split[0].subset");
    assertThat(r.body().path("error").path("message").asText())
        .isEqualTo("split[0].subset: service 'api' has no subset 'v2'");
    api.get("/v1/namespaces/sub-missing/services/web").expect(404);
  }

  @Test
  void aSubsetAnotherServiceSendsCallsToCannotBeDropped() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/sub-drop", "{}").expect(201);
    api.put("/v1/namespaces/sub-drop/services/api", api(8081, V2)).expect(201);
    api.put("/v1/namespaces/sub-drop/services/web", WEB_TO_API_V2).expect(201);
    ApiClient.Response r = api.put("/v1/namespaces/sub-drop/services/api", api(8081, null));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.errorField()).isEqualTo("subsets");
    assertThat(r.body().path("error").path("message").asText())
        .isEqualTo("subset 'v2' of api is a destination of web (namespace sub-drop); remove it there first");
    api.put("/v1/namespaces/sub-drop/services/api", api(8081, V2 + ",{\"name\":\"v3\",\"labels\":{\"version\":\"v3\"}}"))
        .expect(200);
    api.delete("/v1/namespaces/sub-drop/services/web").expect(204);
    api.put("/v1/namespaces/sub-drop/services/api", api(8081, null)).expect(200);
  }

  /** A drop and a new reference race on one etcd: whatever the interleaving, no destination names a missing subset. */
  @Test
  void racingSubsetDropsAndReferencesNeverLeaveADestinationToNothing() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/sub-race", "{}").expect(201);
    api.put("/v1/namespaces/sub-race/services/api", api(8081, V2)).expect(201);
    for (int round = 0; round < 10; round++) {
      List<CompletableFuture<ApiClient.Response>> writes = new ArrayList<>();
      writes.add(CompletableFuture.supplyAsync(() -> api.put("/v1/namespaces/sub-race/services/web", WEB_TO_API_V2)));
      writes.add(CompletableFuture.supplyAsync(() -> api.put("/v1/namespaces/sub-race/services/api", api(8081, null))));
      writes.forEach(CompletableFuture::join);
      boolean webNamesV2 = api.get("/v1/namespaces/sub-race/services/web").status() == 200;
      boolean apiHasV2 = api.get("/v1/namespaces/sub-race/services/api").expect(200).raw().contains("\"v2\"");
      assertThat(!webNamesV2 || apiHasV2).as("round %d: web names api~v2, api has v2", round).isTrue();
      if (webNamesV2) {
        api.delete("/v1/namespaces/sub-race/services/web").expect(204);
      }
      api.put("/v1/namespaces/sub-race/services/api", api(8081, V2)).expect(200);
    }
  }

  @Test
  void labelsTravelInSingleAndBatchRegistrationsAndBadOnesAre400() {
    ApiClient api = registry.api();
    api.put("/v1/namespaces/sub-labels", "{}").expect(201);
    api.put("/v1/namespaces/sub-labels/services/api", api(8081, V2)).expect(201);
    api.put("/v1/namespaces/sub-labels/services/api/endpoints/a",
        "{\"address\":\"10.0.0.1\",\"port\":80,\"labels\":{\"version\":\"v2\"}}").expect(201);
    api.put("/v1/namespaces/sub-labels/endpoints", "{\"endpoints\":[{\"service\":\"api\",\"id\":\"b\",\"endpoint\":"
        + "{\"address\":\"10.0.0.2\",\"port\":80,\"labels\":{\"version\":\"v1\",\"track\":\"stable\"}}}]}").expect(200);
    assertThat(api.get("/v1/namespaces/sub-labels/services/api/endpoints/a").expect(200).body()
        .path("labels").path("version").asText()).isEqualTo("v2");
    assertThat(api.get("/v1/namespaces/sub-labels/services/api/endpoints/b").expect(200).body()
        .path("labels").path("track").asText()).isEqualTo("stable");
    ApiClient.Response bad = api.put("/v1/namespaces/sub-labels/services/api/endpoints/c",
        "{\"address\":\"10.0.0.3\",\"port\":80,\"labels\":{\"tether.io/x\":\"y\"}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.errorField()).isEqualTo("labels.tether.io/x");
  }
}
