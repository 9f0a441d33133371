package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.testbed.NetnsHosts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service Connect's metrics, from real Envoys under {@code tether agent run}, with known traffic: on two
 * test hosts (network namespaces, so each Envoy alone holds its host's egress listener), a client-only
 * caller task sends N requests to {@code web}, whose one task's app answers K of them 500; then the
 * caller's and the backend's {@code GET /metrics} (the default port) say RequestCount N, 5XX K, 2XX N-K,
 * N response times, per target and endpoint, and bytes and connections. Polled: histograms reach
 * Envoy's admin at its stats flush (5 s). Needs a real Envoy and test hosts (root, iproute2).
 */
class ServiceConnectMetricsEnvoyTest {
  private static final int N = 20;
  private static final int K = 4; // under the 5 consecutive 5xx that would eject the endpoint (outlier detection)
  private static final int APP_PORT = 8081;
  private static final int INGRESS_PORT = 15000;
  private static final int METRICS_PORT = 9902; // the default: neither agent is given --metrics-port
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static NetnsHosts net;
  private static Mesh mesh;
  private static Path dir;
  private static final List<Process> agents = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    Prerequisites.envoy();
    Prerequisites.testHosts(NetnsHosts.unavailable());
    dir = TestEtcd.tempDir("sc-metrics");
    net = new NetnsHosts(List.of("call", "web"));
    mesh = new Mesh(net.host("call").rootAddress());
    mesh.webServiceCheckedEverySecond();
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (Process agent : agents) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // Envoy and the app die with it (pdeathsig)
    }
    if (mesh != null) {
      mesh.close();
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  void nRequestsKOf5xxAreCountedByTheCallersAndTheBackendsMetrics() throws Exception {
    NetnsHosts.Host web = net.host("web");
    agents.add(agent("web", List.of("--service", "web", "--app-port", Integer.toString(APP_PORT),
        "--ingress-port", Integer.toString(INGRESS_PORT), "--address", web.address(), "--task-id", "web-1"),
        List.of(StatusHttpMain.class.getName(), Integer.toString(APP_PORT))));
    agents.add(agent("call", List.of("--task-id", "call-1"), List.of("sleep", "600")));
    Poll.until(WAIT, () -> "HEALTHY".equals(health()), () -> "web-1 HEALTHY; log:\n" + log("web"));
    String endpoint = web.address() + ":" + INGRESS_PORT;
    String out = "direction=\"outbound\",namespace=\"a\",service=\"\",target=\"web\"";
    String perTarget = "direction=\"outbound\",endpoint=\"" + endpoint + "\",namespace=\"a\",service=\"\",target=\"web\"";
    Poll.until(WAIT, () -> scrape("call").contains("tether_sc_request_count_per_target_total{" + perTarget + "} 0.0"),
        () -> "the caller's Envoy has web-1 as an endpoint of web; its metrics:\n" + scrape("call"));

    String vip = mesh.vip("a", "web", 8080);
    assertThat(call("http://" + vip + ":8080/ok", N - K)).containsOnly("ok");
    assertThat(call("http://" + vip + ":8080/fail", K)).containsOnly("FAILED status 500");

    String in = "direction=\"inbound\",namespace=\"a\",service=\"web\"";
    awaitFigures("call", out, List.of("tether_sc_request_count_per_target_total{" + perTarget + "} " + N + ".0"));
    awaitFigures("web", in, List.of("tether_sc_request_count_total{" + in + "} " + N + ".0"));
    for (String[] host : new String[][] {{"call", out, "tether_sc_target_processed_bytes_total"},
        {"web", in, "tether_sc_processed_bytes_total"}}) {
      Metrics m = new Metrics(scrape(host[0]));
      assertThat(m.value(host[2] + "{" + host[1] + "}")).as("%s bytes", host[0]).isPositive();
      assertThat(m.value("tether_sc_new_connection_count_total{" + host[1] + "}")).as("%s connections", host[0]).isPositive();
    }
  }

  /** Polls a task's metrics until its figures for {@code labels} are those of the traffic sent, plus {@code more}. */
  private static void awaitFigures(String host, String labels, List<String> more) {
    List<String> expected = new ArrayList<>(more);
    expected.addAll(List.of("tether_sc_request_count_total{" + labels + "} " + N + ".0",
        "tether_sc_httpcode_target_2xx_count_total{" + labels + "} " + (N - K) + ".0",
        "tether_sc_httpcode_target_3xx_count_total{" + labels + "} 0.0",
        "tether_sc_httpcode_target_4xx_count_total{" + labels + "} 0.0",
        "tether_sc_httpcode_target_5xx_count_total{" + labels + "} " + K + ".0",
        "tether_sc_target_response_time_seconds_count{" + labels + "} " + N,
        "tether_sc_target_response_time_seconds_bucket{" + labels + ",le=\"+Inf\"} " + N));
    Poll.until(WAIT, () -> new Metrics(scrape(host)).lines.containsAll(expected),
        () -> host + "'s metrics say " + expected + "; they say:\n" + scrape(host));
  }

  /** A scrape's series lines (no comments), for exact matches and values. */
  private record Metrics(List<String> lines) {
    Metrics(String text) {
      this(text.lines().filter(l -> !l.startsWith("#")).toList());
    }

    double value(String series) {
      return lines.stream().filter(l -> l.startsWith(series + " ")).findFirst()
          .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElse(-1.0);
    }
  }

  private static String scrape(String host) {
    URI url = URI.create("http://" + net.host(host).address() + ":" + METRICS_PORT + "/metrics");
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "HTTP " + r.statusCode() + ": " + r.body();
    } catch (Exception e) {
      return "no answer from " + url + ": " + e;
    }
  }

  private static Process agent(String host, List<String> flags, List<String> app) throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, Mesh.AGENT_A);
    List<String> command = mesh.agentCommand(token, "a");
    command.addAll(flags);
    command.addAll(List.of("--envoy-bin", Prerequisites.envoy().toString(), "--hosts-file", "none",
        "--drain-time", "1", "--lease-ttl", "3", "--work-dir", dir.resolve("work-" + host).toString(), "--"));
    if (app.get(0).equals("sleep")) {
      command.addAll(app);
    } else {
      command.addAll(TestProcesses.java(List.of()));
      command.addAll(app);
    }
    return TestProcesses.spawn(new ProcessBuilder(net.exec(net.host(host), command)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent-" + host + ".log").toFile()));
  }

  /** {@code count} calls from the caller's host, as its app would make them; their answers. */
  private static List<String> call(String url, int count) throws Exception {
    List<String> command = new ArrayList<>(TestProcesses.java(List.of()));
    command.addAll(List.of(HttpCallerMain.class.getName(), url, Integer.toString(count), "0"));
    Process caller = TestProcesses.spawn(new ProcessBuilder(net.exec(net.host("call"), command))
        .redirectError(dir.resolve("caller.log").toFile()));
    List<String> answers = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(caller.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null && !line.equals("DONE"); line = lines.readLine()) {
        answers.add(line.substring(line.indexOf(' ') + 1));
      }
    }
    assertThat(answers).hasSize(count);
    return Collections.unmodifiableList(answers);
  }

  private static String health() {
    ApiClient.Response r = mesh.api.get("/v1/namespaces/a/services/web/endpoints/web-1");
    return r.status() == 200 ? r.body().path("health").asText("HEALTHY") : "ABSENT";
  }

  private static String log(String host) {
    try {
      return Files.readString(dir.resolve("agent-" + host + ".log"));
    } catch (Exception e) {
      return "(no log)";
    }
  }
}
