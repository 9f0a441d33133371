package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resilience policy Tether renders, as a real Envoy applies it to an app's calls to a VIP: timeouts,
 * retries, circuit breakers and the downstream idle timeout. One Envoy for the class; each scenario has
 * a service (alias, VIP) of its own with local HTTP backends, so scenarios do not see each other.
 */
class EnvoyPolicyTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();

  private static final String NS = "a";
  private static final int PORT = 8080;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private static EnvoyProxy envoy;
  private static final List<PolicyBackend> backends = new ArrayList<>();

  @BeforeAll
  static void startEnvoy() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/" + NS, "{}").expect(201);
    envoy = EnvoyProxy.start(mesh, TestEtcd.tempDir("envoy-policy"));
  }

  @AfterAll
  static void stopEnvoy() {
    if (envoy != null) {
      envoy.close();
    }
    backends.forEach(PolicyBackend::close);
  }

  @Test
  void perRequestTimeoutAnswers504AfterOneSecond() throws Exception {
    PolicyBackend slow = backend((exchange, attempt) -> PolicyBackend.answerAfter(exchange, 3_000, 200));
    String url = service("timeout-1s", "\"timeout\":{\"perRequestTimeoutSeconds\":1}", slow.port());

    Call call = call(url);

    assertThat(call.response.statusCode()).as("Envoy's answer to a request outliving the route timeout")
        .isEqualTo(504);
    assertThat(call.millis).as("ms until the 504").isBetween(900L, 2_500L);
    assertThat(slow.attempts(call.id)).as("a timed-out request is not retried by the default policy").isEqualTo(1);
  }

  @Test
  void perRequestTimeoutZeroLetsAThreeSecondCallSucceed() throws Exception {
    PolicyBackend slow = backend((exchange, attempt) -> PolicyBackend.answerAfter(exchange, 3_000, 200));
    String url = service("timeout-off", "\"timeout\":{\"perRequestTimeoutSeconds\":0}", slow.port());

    Call call = call(url);

    assertThat(call.response.statusCode()).isEqualTo(200);
    assertThat(call.millis).as("the backend really took its 3 s").isGreaterThanOrEqualTo(3_000L);
  }

  @Test
  void defaultRetryPolicyRetriesA503() throws Exception {
    PolicyBackend flaky = backend(PolicyBackend::failFirstAttempt);
    String url = service("retry-default", "", flaky.port());

    Call call = call(url);

    assertThat(call.response.statusCode()).isEqualTo(200);
    assertThat(call.response.body()).isEqualTo("attempt 2");
    assertThat(flaky.attempts(call.id)).isEqualTo(2);
  }

  @Test
  void noRetriesLetThe503Through() throws Exception {
    PolicyBackend flaky = backend(PolicyBackend::failFirstAttempt);
    String url = service("retry-none", "\"retryPolicy\":{\"numRetries\":0}", flaky.port());

    Call call = call(url);

    assertThat(call.response.statusCode()).isEqualTo(503);
    assertThat(call.response.body()).as("the backend's own 503, not Envoy's").isEqualTo("attempt 1 failed");
    assertThat(flaky.attempts(call.id)).isEqualTo(1);
  }

  @Test
  void connectFailureToOneEndpointIsRetriedOnTheHealthyOne() throws Exception {
    PolicyBackend healthy = backend((exchange, attempt) -> PolicyBackend.answer(exchange, 200, "healthy"));
    int dead = Ports.free();
    String url = service("retry-connect", "", dead, healthy.port());

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(call(url).response.statusCode());
    }

    assertThat(statuses).as("every call, whichever endpoint Envoy tried first").containsOnly(200);
    String cluster = "cluster.retry-connect." + NS;
    assertThat(envoy.stat(cluster + ".upstream_cx_connect_fail")).as("Envoy did try the dead endpoint")
        .isPositive();
    assertThat(envoy.stat(cluster + ".upstream_rq_retry")).as("and retried elsewhere").isPositive();
  }

  @Test
  void perTryTimeoutRetriesAHungFirstAttemptAtOnce() throws Exception {
    PolicyBackend hangsOnce = backend((exchange, attempt) ->
        PolicyBackend.answerAfter(exchange, attempt == 1 ? 2_000 : 0, 200));
    String url = service("retry-per-try", "\"retryPolicy\":{\"perTryTimeoutMs\":300}", hangsOnce.port());

    Call call = call(url);

    String cluster = "cluster.retry-per-try." + NS;
    assertThat(call.response.statusCode()).as(() -> "answer after a 300 ms per-try timeout; per-try timeouts "
        + envoy.stat(cluster + ".upstream_rq_per_try_timeout") + ", retries " + envoy.stat(cluster + ".upstream_rq_retry"))
        .isEqualTo(200);
    assertThat(call.millis).as("ms: the hung attempt was abandoned after 300 ms").isLessThan(1_500L);
    assertThat(hangsOnce.attempts(call.id)).isEqualTo(2);
  }

  @Test
  void circuitBreakerAnswersExcessConcurrentRequestsItself() throws Exception {
    PolicyBackend slow = backend((exchange, attempt) -> PolicyBackend.answerAfter(exchange, 1_000, 200));
    String url = service("breaker", "\"circuitBreakers\":{\"maxRequests\":2}", slow.port());

    List<String> ids = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 6; i++) {
      String id = UUID.randomUUID().toString();
      ids.add(id);
      calls.add(HTTP.sendAsync(request(url, id), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(8, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;

    int overloaded = 0;
    int answered = 0;
    for (int i = 0; i < calls.size(); i++) {
      HttpResponse<String> r = calls.get(i).join();
      if (r.statusCode() == 503 && r.headers().firstValue("x-envoy-overloaded").isPresent()) {
        overloaded++;
        assertThat(slow.attempts(ids.get(i))).as("an overflowed request never reaches the backend").isZero();
      } else if (r.statusCode() == 200) {
        answered++;
      } else {
        throw new AssertionError("unexpected answer " + r.statusCode() + " " + r.headers().map() + " " + r.body());
      }
    }
    assertThat(overloaded).as("requests beyond maxRequests 2 answered 503 by Envoy").isPositive();
    assertThat(answered).as("requests within the limit answered by the backend").isBetween(1, 4);
    assertThat(millis).as("ms for all six: none hangs").isLessThan(5_000L);
  }

  @Test
  void idleDownstreamConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    PolicyBackend backend = backend((exchange, attempt) -> PolicyBackend.answer(exchange, 200, "ok"));
    String url = service("idle-1s", "\"timeout\":{\"idleTimeoutSeconds\":1}", backend.port());
    URI vip = URI.create(url);

    try (Socket socket = new Socket(vip.getHost(), vip.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /warm HTTP/1.1\r\nHost: idle-1s\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response = readResponse(socket.getInputStream());
      assertThat(response).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
      long idleSince = System.nanoTime();

      int next = socket.getInputStream().read();
      long millis = (System.nanoTime() - idleSince) / 1_000_000;

      assertThat(next).as("Envoy closed the kept-alive connection (end of stream)").isEqualTo(-1);
      assertThat(millis).as("ms of idleness before the close").isBetween(800L, 3_000L);
    }
  }

  private static PolicyBackend backend(PolicyBackend.Handler handler) throws IOException {
    PolicyBackend b = new PolicyBackend(handler);
    backends.add(b);
    return b;
  }

  /**
   * Creates HTTP service {@code name} (alias {@code name:8080}) with the extra policy JSON and one
   * HEALTHY endpoint per port, and returns its VIP URL once Envoy routes {@code /warm} through it.
   */
  private static String service(String name, String policy, int... ports) {
    String extra = policy.isEmpty() ? "" : "," + policy;
    mesh.api.put("/v1/namespaces/" + NS + "/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":" + PORT + "}]" + extra + "}").expect(201);
    for (int i = 0; i < ports.length; i++) {
      mesh.api.put("/v1/namespaces/" + NS + "/services/" + name + "/endpoints/" + name + "-" + i,
          "{\"address\":\"127.0.0.1\",\"port\":" + ports[i] + ",\"health\":\"HEALTHY\"}").expect(201);
    }
    String url = "http://" + mesh.vip(NS, name, PORT) + ":" + PORT;
    Poll.until(WAIT, () -> EnvoyProxy.get(url + "/warm").map(r -> r.statusCode() == 200).orElse(false),
        () -> "GET " + url + "/warm through envoy; last answer: " + EnvoyProxy.get(url + "/warm")
            .map(r -> r.statusCode() + " " + r.body()).orElse("no connection") + "\nenvoy log:\n" + envoy.tail());
    return url;
  }

  private record Call(String id, HttpResponse<String> response, long millis) {}

  /** One GET of {@code /call} with an id of its own, timed. */
  private static Call call(String url) throws Exception {
    String id = UUID.randomUUID().toString();
    long start = System.nanoTime();
    HttpResponse<String> response = HTTP.send(request(url, id), HttpResponse.BodyHandlers.ofString());
    return new Call(id, response, (System.nanoTime() - start) / 1_000_000);
  }

  private static HttpRequest request(String url, String id) {
    return HttpRequest.newBuilder(URI.create(url + "/call")).header("x-test-id", id)
        .timeout(Duration.ofSeconds(10)).build();
  }

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)\r\n");

  /** Reads one HTTP/1.1 response with a content-length from a raw connection. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed mid-response: " + seen);
      }
      seen.write(b);
      String text = seen.toString(StandardCharsets.US_ASCII);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        Matcher m = CONTENT_LENGTH.matcher(text.substring(0, end + 2));
        if (!m.find()) {
          throw new AssertionError("no content-length: " + text);
        }
        int length = Integer.parseInt(m.group(1));
        if (text.length() - end - 4 == length) {
          return text;
        }
      }
    }
  }
}
