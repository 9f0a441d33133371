package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An unknown field in any request body is a 400 naming it, with the known field it most likely meant
 * when one is close ({@code did you mean 'timeout'?}), and without a suggestion when none is.
 */
class UnknownFieldSuggestionTest {
  private static TestRegistry registry;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    registry.admin().put("/v1/namespaces/typo", "{}").expect(201);
    registry.admin().put("/v1/namespaces/typo/services/web", "{\"portName\":\"http\"}").expect(201);
    registry.admin().put("/v1/namespaces/typo/services/web/endpoints/e1", "{\"address\":\"10.0.0.1\",\"port\":1}")
        .expect(201);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static void refused(ApiClient.Response r, String field, String message) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    JsonNode error = r.body().path("error");
    assertThat(error.path("code").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.path("field").asText()).isEqualTo(field);
    assertThat(error.path("message").asText()).isEqualTo(message);
  }

  @Test
  void everyBodyTypeNamesTheFieldAndWhatWasMeant() {
    ApiClient admin = registry.admin();
    refused(admin.put("/v1/namespaces/typo", "{\"descripton\":\"x\"}"), "descripton",
        "unknown field 'descripton': did you mean 'description'?");
    refused(admin.put("/v1/namespaces/typo", "{\"defaults\":{\"timout\":{}}}"), "defaults.timout",
        "unknown field 'defaults.timout': did you mean 'timeout'?");
    refused(admin.put("/v1/namespaces/typo/services/web", "{\"portName\":\"http\",\"retryPolicy\":{\"numRetrys\":1}}"),
        "retryPolicy.numRetrys", "unknown field 'retryPolicy.numRetrys': did you mean 'numRetries'?");
    refused(admin.put("/v1/namespaces/typo/services/web", "{\"portName\":\"http\",\"tls\":{\"modes\":\"STRICT\"}}"),
        "tls.modes", "unknown field 'tls.modes': did you mean 'mode'?");
    refused(admin.put("/v1/namespaces/typo", "{\"defaults\":{\"tl\":{}}}"), "defaults.tl",
        "unknown field 'defaults.tl': did you mean 'tls'?");
    refused(admin.put("/v1/namespaces/typo/services/web/endpoints/e2", "{\"adress\":\"10.0.0.2\",\"port\":1}"),
        "adress", "unknown field 'adress': did you mean 'address'?");
    refused(admin.put("/v1/namespaces/typo/services/web/endpoints/e1/health", "{\"heath\":\"DRAINING\"}"),
        "heath", "unknown field 'heath': did you mean 'health'?");
    refused(admin.post("/v1/leases", "{\"ttlSecond\":10,\"namespace\":\"typo\"}"), "ttlSecond",
        "unknown field 'ttlSecond': did you mean 'ttlSeconds'?");
  }

  @Test
  void nothingIsSuggestedWhenNoFieldIsClose() {
    refused(registry.admin().put("/v1/namespaces/typo/services/web", "{\"portName\":\"http\",\"colour\":\"blue\"}"),
        "colour", "unknown field 'colour'");
  }
}
