package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.tether.conformance.OtlpReceiver.ReceivedSpan;
import io.tether.model.json.Json;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A namespace's {@code tracing} with real Envoys (README "Tracing"): the caller is {@code tether agent
 * run} serving {@code web}, whose Envoy the test calls {@code api} through; {@code api} is served by a
 * server-only sidecar in front of an app that answers the headers it received. Spans arrive at a test
 * OTLP/gRPC receiver with the caller's name (the agent's OTEL_RESOURCE_ATTRIBUTES) on the CLIENT span and
 * the callee's (the ingress listener's config) on the SERVER span; the trace headers Service Connect users
 * rely on pass untouched with tracing off, and with it on only traceparent's parent-id moves on.
 */
class EnvoyTracingTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final String AMZN = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  private static final String TRACESTATE = "vendor=opaque-value,other=1";

  private final Path dir = TestEtcd.tempDir("envoy-tracing");
  private final int adminPort = Ports.free();
  private final int apiIngress = Ports.free();
  private OtlpReceiver receiver;
  private HttpServer headersApp;
  private Process agent;
  private EnvoyProxy apiSidecar;
  private String apiUrl;

  @BeforeEach
  void startMesh() throws Exception {
    Prerequisites.envoy();
    receiver = OtlpReceiver.start();
    headersApp = HeadersApp.start();
    mesh.api.put("/v1/namespaces/a", "{}");
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}]}");
    mesh.api.put("/v1/namespaces/a/services/api", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"api\",\"port\":8080}],\"tls\":{\"mode\":\"DISABLED\"}}");
    mesh.api.put("/v1/namespaces/a/services/api/endpoints/api-1", // 201, or 200 for the class's second test
        "{\"address\":\"127.0.0.1\",\"port\":" + apiIngress + ",\"health\":\"HEALTHY\"}");
    java.nio.file.Files.createDirectories(dir.resolve("api"));
    apiSidecar = EnvoyProxy.startDrainingAsTheAgent(mesh.xdsPort(), dir.resolve("api"), Map.of(
        "mode", "server-only", "services", List.of(Map.of("discoveryName", "api", "ingressPort", apiIngress,
            "appPort", headersApp.getAddress().getPort()))));
    java.nio.file.Files.createDirectories(dir.resolve("web"));
    List<String> command = EnvoyAgents.webTask(mesh, dir.resolve("web"), "web-" + UUID.randomUUID(), Ports.free(),
        Ports.free(), adminPort);
    agent = TestProcesses.spawn(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent.log").toFile()));
    apiUrl = "http://" + mesh.vip("a", "api", 8080) + ":8080";
    Poll.until(Duration.ofSeconds(60), () -> call(Map.of()).isPresent(),
        () -> "api answering through web's Envoy; agent log:\n" + tail(dir.resolve("agent.log")));
  }

  @AfterEach
  void stopMesh() throws Exception {
    if (agent != null) {
      TestProcesses.killWithChildren(agent);
    }
    if (apiSidecar != null) {
      apiSidecar.close();
    }
    if (headersApp != null) {
      headersApp.stop(0);
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void spansArriveWithTheCallersAndTheCalleesNamesAndTraceHeadersPass() throws Exception {
    List<String> untraced = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TraceHeaders sent = TraceHeaders.fresh();
      untraced.add(sent.traceId);
      Map<String, String> seen = call(sent.asMap()).orElseThrow();
      assertThat(seen).as("tracing off: every header as sent").containsAllEntriesOf(sent.asMap());
    }

    mesh.api.put("/v1/namespaces/a", "{\"tracing\":{\"collector\":\"" + receiver.address()
        + "\",\"samplingPercent\":100}}").expect(200);
    TraceHeaders marker = awaitCallTracedByBoth();
    List<ReceivedSpan> spans = receiver.trace(marker.traceId);
    ReceivedSpan client = spans.stream().filter(s -> "web".equals(s.serviceName())).findFirst().orElseThrow();
    ReceivedSpan server = spans.stream().filter(s -> "api".equals(s.serviceName())).findFirst().orElseThrow();
    System.out.println("[EnvoyTracingTest] spans of the marker trace: " + spans.stream()
        .map(s -> s.serviceName() + " " + s.span().getKind() + " " + s.span().getName()).toList());
    assertThat(client.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(server.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
    assertThat(client.parentSpanId()).as("the app's span is the caller's parent").isEqualTo(marker.parentId);
    assertThat(server.parentSpanId()).as("the callee's span is the caller's child").isEqualTo(client.spanId());
    assertThat(marker.seenParentId).as("the app is the callee's child").isEqualTo(server.spanId());
    assertThat(receiver.all()).as("nothing of the calls made while tracing was off")
        .noneMatch(s -> untraced.contains(s.traceId()));
    Map<String, String> bare = call(Map.of()).orElseThrow();
    assertThat(bare.get("traceparent")).as("a call without one gets one, sampled at 100 %%")
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(bare).as("and an empty tracestate").containsEntry("tracestate", "");
    assertNoNack(apiSidecar.adminUrl);
    assertNoNack("http://127.0.0.1:" + adminPort);
  }

  @Test
  void theRateIsEnvoysOwnDecisionEvenOverASampledParent() throws Exception {
    mesh.api.put("/v1/namespaces/a", "{\"tracing\":{\"collector\":\"" + receiver.address()
        + "\",\"samplingPercent\":0}}").expect(200);
    List<String> atZero = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TraceHeaders call = awaitTracedCall();
      atZero.add(call.traceId);
      assertThat(call.seenFlags).as("0 %%: Envoy's decision, not the sampled parent's").isEqualTo("00");
    }
    mesh.api.put("/v1/namespaces/a", "{\"tracing\":{\"collector\":\"" + receiver.address()
        + "\",\"samplingPercent\":100}}").expect(200);
    awaitCallTracedByBoth();
    assertThat(receiver.all()).as("nothing of the calls at 0 %%").noneMatch(s -> atZero.contains(s.traceId()));
  }

  /**
   * Calls with fresh trace headers until one reaches the app through a sidecar's tracer (its
   * traceparent's parent-id is no longer the one sent), checking every other header on each; returns the
   * one that did, with the parent-id and flags the app saw.
   */
  private TraceHeaders awaitTracedCall() {
    TraceHeaders[] marker = new TraceHeaders[1];
    Poll.until(Duration.ofSeconds(30), () -> {
      TraceHeaders sent = TraceHeaders.fresh();
      Map<String, String> seen = call(sent.asMap()).orElse(null);
      if (seen == null) {
        return false;
      }
      assertThat(seen).as("tracing on: these pass as sent").containsEntry("x-amzn-trace-id", AMZN)
          .containsEntry("tracestate", TRACESTATE).containsEntry("x-request-id", sent.requestId);
      String[] traceparent = seen.get("traceparent").split("-");
      assertThat(traceparent[1]).as("the trace id is kept").isEqualTo(sent.traceId);
      if (traceparent[2].equals(sent.parentId)) {
        return false;
      }
      sent.seenParentId = traceparent[2];
      sent.seenFlags = traceparent[3];
      marker[0] = sent;
      return true;
    }, "a call traced by a sidecar");
    return marker[0];
  }

  /**
   * Calls (each as {@link #awaitTracedCall}) until the spans of one have arrived from both sidecars, and
   * returns that one: right after a tracing change a call may still cross one sidecar's old listener
   * (its connection is drained within the agent's 1 s), and Envoy flushes spans every 5 s or 5 spans.
   */
  private TraceHeaders awaitCallTracedByBoth() {
    List<TraceHeaders> calls = new ArrayList<>();
    Poll.until(Duration.ofSeconds(45), () -> {
      calls.add(awaitTracedCall());
      return calls.stream().anyMatch(this::tracedByBoth);
    }, () -> "spans of one call from web and api; received: " + receiver.all().stream()
        .map(s -> s.serviceName() + "/" + s.traceId()).toList());
    return calls.stream().filter(this::tracedByBoth).findFirst().orElseThrow();
  }

  private boolean tracedByBoth(TraceHeaders call) {
    List<String> names = receiver.trace(call.traceId).stream().map(ReceivedSpan::serviceName).toList();
    return names.contains("web") && names.contains("api");
  }

  private static void assertNoNack(String adminUrl) {
    String stats = EnvoyProxy.get(adminUrl + "/stats?filter=update_rejected").orElseThrow().body();
    assertThat(stats.lines().filter(l -> l.contains("update_rejected")).toList()).as("no NACK at %s", adminUrl)
        .isNotEmpty().allMatch(l -> l.endsWith(": 0"));
  }

  /** The headers the app received for one call to {@code api} through web's Envoy; empty when it did not answer. */
  private Optional<Map<String, String>> call(Map<String, String> headers) {
    Optional<HttpResponse<String>> r = EnvoyProxy.get(apiUrl + "/traced", headers);
    if (r.isEmpty() || r.get().statusCode() != 200) {
      return Optional.empty();
    }
    try {
      JsonNode body = Json.MAPPER.readTree(r.get().body());
      Map<String, String> out = new TreeMap<>();
      body.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return Optional.of(out);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ")";
    }
  }

  /** One call's trace headers: a sampled W3C traceparent, tracestate, an X-Ray id and a request id. */
  private static final class TraceHeaders {
    final String traceId = hex(16);
    final String parentId = hex(8);
    final String requestId = UUID.randomUUID().toString();
    String seenParentId;
    String seenFlags;

    static TraceHeaders fresh() {
      return new TraceHeaders();
    }

    Map<String, String> asMap() {
      return Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01", "tracestate", TRACESTATE,
          "x-amzn-trace-id", AMZN, "x-request-id", requestId);
    }

    private static String hex(int bytes) {
      byte[] b = new byte[bytes];
      ThreadLocalRandom.current().nextBytes(b);
      return HexFormat.of().formatHex(b);
    }
  }

  /** An app answering every request with the headers it received, as a JSON object (names in lower case). */
  private static final class HeadersApp {
    static HttpServer start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(
            name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        byte[] body = Json.write(headers);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    }
  }
}
