package io.tether.main;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestChildren;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schemathesis (PyPI, installed by {@code ./tether test} and found at {@code $SCHEMATHESIS_BIN})
 * generates requests from the served OpenAPI document, valid and invalid, against a whole replica on a
 * real etcd with a namespace, service, endpoint, lease and a connected ADS stream in it, and checks
 * every answer: no 5xx, a documented status, content type and headers, a body valid against the
 * schema, schema-violating requests refused, undocumented methods 405, auth enforced. Path parameters
 * name the seeded resources most of the time (dictionaries), so requests reach past the 404s.
 *
 * <p>Left out: positive_data_acceptance, which expects every schema-valid request to succeed; the
 * registry's rules across fields and against its state (exactly one hash key, timeout within
 * interval, a routable address, a name matching its path, a namespace that exists) are not JSON
 * Schema. Left out too: {@code GET /v1/watch} (operationId watchRegistry), a stream that stays open by
 * design: Schemathesis reads a whole answer, so every accepted request would hang until its timeout and
 * count as a failure; its refusals are OpenApiCases', its stream OpenApiConformanceTest's. The run's seed is printed; set {@code TETHER_FUZZ_SEED} to replay one. Reports (JUnit,
 * NDJSON) and the output go to {@code target/schemathesis/}.
 */
class SchemathesisFuzzTest {
  /** Per operation: 50 keeps the fuzz near 55 s of the suite's 20-minute budget (75 took 84 s). */
  private static final int EXAMPLES_PER_OPERATION = 50;
  private static final Duration LIMIT = Duration.ofSeconds(180);
  @RegisterExtension
  static final ServedApi api = new ServedApi();

  @Test
  void generatedRequestsGetNoServerErrorAndAnswersConformToTheDocument() throws Exception {
    Path st = Prerequisites.schemathesis();
    Path dir = Path.of("target", "schemathesis").toAbsolutePath();
    Files.createDirectories(dir);
    String seed = System.getenv().getOrDefault("TETHER_FUZZ_SEED",
        Long.toString(ThreadLocalRandom.current().nextLong(1, 1L << 40)));
    String nodeId = "fuzzed-sidecar";
    try (AdsStream proxy = new AdsStream(api.server.xds().port(), ServedApi.AGENT, ServedApi.NS, nodeId)) {
      Poll.until(Duration.ofSeconds(10), () -> api.admin.get("/v1/proxies/oa/" + nodeId + "/config").status() == 200,
          "the ADS stream's config served");
      Path config = dir.resolve("schemathesis.toml");
      Files.writeString(config, config(nodeId, consoleAsset()));
      Path output = dir.resolve("output.txt");
      List<String> command = new ArrayList<>(List.of(st.toString(), "--config-file", config.toString(), "run",
          api.baseUrl() + "/openapi.json", "--url", api.baseUrl(), "--checks", "all",
          "--exclude-checks", "positive_data_acceptance", "--exclude-operation-id", "watchRegistry",
          "--max-examples", String.valueOf(EXAMPLES_PER_OPERATION),
          "--seed", seed, "--workers", "1", "--report", "junit,ndjson", "--report-dir", dir.toString(), "--no-color"));
      Process run = TestChildren.start(new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()));
      if (!run.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        run.destroyForcibly().waitFor();
        throw new AssertionError("schemathesis did not finish within " + LIMIT + " (seed " + seed + "): " + output);
      }
      assertThat(run.exitValue()).as("schemathesis (seed %s) exit status; its output, also in %s:%n%s", seed,
          output, Files.readString(output)).isZero();
    }
  }

  /** The name of a file the console's page loads, e.g. {@code index-B_fherQj.js}. */
  private static String consoleAsset() throws Exception {
    String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/ui"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher asset = Pattern.compile("/ui/assets/([A-Za-z0-9._-]+)").matcher(page);
    assertThat(asset.find()).as("the console's page names its files: %s", page).isTrue();
    return asset.group(1);
  }

  /** Authentication and the seeded resources (and the console's files) as parameter dictionaries, taken 70% of the time. */
  private static String config(String nodeId, String asset) {
    StringBuilder toml = new StringBuilder("headers = { Authorization = \"Bearer " + ServedApi.ADMIN + "\" }\n");
    String[][] bindings = {{"ns", ServedApi.NS}, {"svc", ServedApi.SVC}, {"id", ServedApi.ENDPOINT},
        {"leaseId", api.leaseId}, {"tokenId", api.tokenId}, {"nodeId", nodeId}, {"path", "services"},
        {"file", asset}, {"name", ServedApi.RULE}};
    for (String[] b : bindings) {
      toml.append("[dictionaries.").append(b[0]).append("]\nvalues = [\"").append(b[1]).append("\"]\n");
    }
    toml.append("[parameters]\n");
    for (String[] b : bindings) {
      toml.append("\"path.").append(b[0]).append("\" = { dictionary = \"").append(b[0])
          .append("\", probability = 0.7 }\n");
    }
    return toml.toString();
  }
}
