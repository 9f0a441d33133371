package io.tether.main;

import static io.tether.main.ServedApi.ADMIN;
import static io.tether.main.ServedApi.AGENT;
import static io.tether.main.ServedApi.READER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tether.model.json.Json;
import io.tether.registry.testing.Poll;
import io.vertx.ext.web.Route;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps the OpenAPI document (registry/src/main/resources/io/tether/registry/api/openapi/) true: the
 * router's routes are exactly the documented ones, and real requests to a real server on a real etcd
 * (a success and the usual refusals per route, {@link OpenApiCases}) answer with a status the document
 * lists for them, the headers it requires and a body that validates against its schema.
 */
class OpenApiConformanceTest {
  @RegisterExtension
  static final ServedApi api = new ServedApi();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static JsonNode document;
  private static OpenApiContract contract;

  @BeforeAll
  static void readTheServedDocument() throws Exception {
    Answer json = send("GET", "/openapi.json", null, null);
    assertThat(json.status()).as("GET /openapi.json without a token").isEqualTo(200);
    document = json.body();
    contract = new OpenApiContract(document);
  }

  @Test
  void everyRouteTheRouterHasIsDocumentedWithTheSameMethodsAndEveryDocumentedPathIsRouted() {
    Map<String, TreeSet<String>> routed = new TreeMap<>();
    for (Route route : api.server.registry().api().router().getRoutes()) {
      if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()) {
        // A prefix route ("/ui/*", path "/ui/") answers its paths below: one parameter in the document.
        String path = route.getPath().replaceAll(":[A-Za-z]+", "{}") + (route.isExactPath() ? "" : "{}");
        TreeSet<String> methods = routed.computeIfAbsent(path, p -> new TreeSet<>());
        route.methods().forEach(m -> methods.add(m.name()));
      }
    }
    assertThat(routed).as("routes of the router").hasSizeGreaterThan(15).containsKey("/v1/namespaces/{}");
    assertThat(contract.operations()).as("the document's paths and methods (left) against the router's (right)")
        .isEqualTo(routed);
  }

  @Test
  void theYamlAndTheJsonAreTheSameDocumentServedWithoutAToken() throws Exception {
    Answer yaml = send("GET", "/openapi.yaml", null, null);
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.contentType()).startsWith("application/yaml");
    assertThat(new YAMLMapper().readTree(yaml.text())).isEqualTo(document);
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void theContractRefusesAnswersTheDocumentDoesNotAllow() throws Exception {
    JsonNode lease = Json.MAPPER.readTree("{\"leaseId\": 42, \"ttlSeconds\": 10, \"namespace\": \"oa\"}");
    assertThat(contract.problems("POST", "/v1/leases", 201, Map.of(), "application/json", lease))
        .as("a numeric leaseId").singleElement().asString().contains("leaseId");
    assertThat(contract.problems("POST", "/v1/leases", 500, Map.of(), "application/json", lease))
        .as("an undocumented status").singleElement().asString().contains("does not list");
    JsonNode namespace = Json.MAPPER.readTree("{\"name\": \"oa\"}");
    assertThat(contract.problems("GET", "/v1/namespaces/{ns}", 200, Map.of(), "application/json", namespace))
        .as("no ETag").singleElement().asString().contains("ETag");
    JsonNode error = Json.MAPPER.readTree("{\"error\": {\"code\": \"INTERNAL\", \"message\": \"m\"}}");
    assertThat(contract.problems("GET", "/v1/namespaces/{ns}", 404, Map.of(), "application/json", error))
        .as("a code the error format does not have").isNotEmpty();
  }

  @TestFactory
  Stream<DynamicTest> realRequestsAnswerAsTheDocumentSays() {
    return new OpenApiCases(api).all().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
  }

  @Test
  void aConnectedProxyIsListedAndItsConfigAnswersAsDocumented() throws Exception {
    String nodeId = "sidecar-1";
    try (AdsStream stream = new AdsStream(api.server.xds().port(), AGENT, ServedApi.NS, nodeId)) {
      // Listed once its stream is open; served a config once its group's snapshot is published.
      Poll.until(Duration.ofSeconds(10), () -> sendQuietly("GET", "/v1/proxies/oa/" + nodeId + "/config", ADMIN)
          .status() == 200, "the ADS stream's config in /v1/proxies");
      check(new OpenApiCases.Case("GET", "/v1/proxies", "/v1/proxies", ADMIN, null, 200));
      check(new OpenApiCases.Case("GET", "/v1/proxies", "/v1/proxies?namespace=oa", AGENT, null, 200));
      check(new OpenApiCases.Case("GET", "/v1/proxies/{ns}/{nodeId}/config", "/v1/proxies/oa/" + nodeId + "/config",
          READER, null, 200));
      check(new OpenApiCases.Case("GET", "/v1/proxies/{nodeId}/config", "/v1/proxies/" + nodeId + "/config",
          AGENT, null, 200));
      check(new OpenApiCases.Case("GET", "/v1/proxies/{nodeId}/config", "/v1/proxies/" + nodeId + "/config?scope=local",
          AGENT, null, 200));
      check(new OpenApiCases.Case("GET", "/v1/proxies/{ns}/{nodeId}/config", "/v1/proxies/oa/" + nodeId
          + "/config?scope=mine", ADMIN, null, 400));
      check(new OpenApiCases.Case("GET", "/v1/status", "/v1/status", ADMIN, null, 200));
    }
  }

  @Test
  void theWatchStreamsChangesAsDocumented() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/watch?namespace=oa"))
        .header("Authorization", "Bearer " + AGENT).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String type = r.headers().firstValue("Content-Type").orElse(null);
      assertThat(contract.problems("GET", "/v1/watch", r.statusCode(), Map.of(), type, null)).isEmpty();
      assertThat(lines.readLine()).startsWith(": watching changes after revision ");
      assertThat(lines.readLine()).isEqualTo("retry: 1000");
      // A change the agent may see: its own endpoint's health, written after the stream opened.
      Answer put = send("PUT", ServedApi.endpointPath() + "/health", AGENT, "{\"health\": \"HEALTHY\"}");
      assertThat(put.status()).isEqualTo(200);
      // Bounded: a stream that sends nothing would block the read; the timeout closes it (try-with-resources).
      String data = CompletableFuture.supplyAsync(() -> nextEventData(lines)).get(10, TimeUnit.SECONDS);
      JsonNode event = Json.MAPPER.readTree(data);
      assertThat(contract.schemaProblems("WatchEvent", event)).as("the event %s", data).isEmpty();
      assertThat(event.path("id").asText()).isEqualTo(ServedApi.ENDPOINT);
    }
  }

  /** The data of the next {@code event: change}, skipping comments; the stream's read has the request's timeout. */
  private static String nextEventData(BufferedReader lines) {
    boolean change = false;
    for (String line = readLine(lines); line != null; line = readLine(lines)) {
      change = change || line.equals("event: change");
      if (change && line.startsWith("data: ")) {
        return line.substring("data: ".length());
      }
    }
    throw new AssertionError("the stream ended before an event");
  }

  private static String readLine(BufferedReader lines) {
    try {
      return lines.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theConsoleServesItsFilesAsDocumented() throws Exception {
    Answer page = send("GET", "/ui", null, null);
    Matcher asset = Pattern.compile("/ui/assets/[A-Za-z0-9._-]+\\.(js|css)").matcher(page.text());
    assertThat(asset.find()).as("the page names its files: %s", page.text()).isTrue();
    asset.reset();
    while (asset.find()) {
      check(new OpenApiCases.Case("GET", "/ui/assets/{file}", asset.group(), null, null, 200));
    }
  }

  private static void check(OpenApiCases.Case c) throws Exception {
    Answer answer = send(c.method(), c.path(), c.token(), c.body(), c.headers());
    assertThat(answer.status()).as("%s answered %s", c, answer.text()).isEqualTo(c.expected());
    List<String> problems = contract.problems(c.method(), c.documented(), answer.status(), answer.headers(),
        answer.contentType(), answer.body());
    assertThat(problems).as("%s against the document", c).isEmpty();
  }

  private static Answer sendQuietly(String method, String path, String token) {
    try {
      return send(method, path, token, null);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Answer send(String method, String path, String token, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> names = new LinkedHashMap<>();
    r.headers().map().forEach((k, v) -> names.put(k.toLowerCase(), String.join(", ", v)));
    String type = names.get("content-type");
    JsonNode json = r.body().isEmpty() || type == null || !type.startsWith("application/json") ? null
        : Json.MAPPER.readTree(r.body());
    return new Answer(r.statusCode(), names, type, r.body(), json);
  }

  record Answer(int status, Map<String, String> headers, String contentType, String text, JsonNode body) {}
}
