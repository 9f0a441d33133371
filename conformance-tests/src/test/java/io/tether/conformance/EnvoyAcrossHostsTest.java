package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.testbed.NetnsHosts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two test hosts (network namespaces), each a task beside a real Envoy run by {@code tether agent run}:
 * an app on one host calls {@code http://web:8080} (the alias's VIP, from the agent's hosts file) and
 * reaches both hosts through the sidecars; stopping one host with SIGTERM loses no call. Runs only
 * where an Envoy binary is installed ({@code ENVOY_BIN}) and test hosts can be made (root, iproute2).
 */
class EnvoyAcrossHostsTest {
  private static final List<String> HOSTS = List.of("e1", "e2");
  private static final int APP_PORT = 8081;
  private static final int INGRESS_PORT = 15000;
  private static NetnsHosts net;
  private static Mesh mesh;
  private static Path dir;
  private static final Map<String, Process> agents = new HashMap<>();

  @BeforeAll
  static void setUp() {
    Prerequisites.envoy();
    Prerequisites.testHosts(NetnsHosts.unavailable());
    dir = TestEtcd.tempDir("envoy-across");
    net = new NetnsHosts(HOSTS);
    mesh = new Mesh(net.host("e1").rootAddress());
    mesh.webServiceCheckedEverySecond();
  }

  @AfterAll
  static void tearDown() {
    agents.values().forEach(Process::destroyForcibly);
    if (mesh != null) {
      mesh.close();
    }
    if (net != null) {
      net.close();
    }
  }

  @Test
  void appCallsTheServiceByNameThroughItsSidecarReachesBothHostsAndLosesNoCallWhenOneStops() throws Exception {
    runningAgents(HOSTS);
    String vip = vip("web");
    assertThat(Files.readString(hostsFile("e1"))).as("the agent maps the alias to its VIP").contains(vip + "\tweb");

    List<String> first = call("e1", "http://" + vip + ":8080/", 40);
    assertThat(first).as("calls through e1's Envoy egress listener on the VIP").allMatch(HOSTS::contains)
        .contains("e1", "e2");

    Process caller = caller("e1", "http://" + vip + ":8080/", 60);
    agents.get("e2").destroy(); // SIGTERM: DRAINING, Envoy drains, the app stops, deregistered
    assertThat(agents.get("e2").waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> during = answers(caller);
    assertThat(during).as("no call fails while e2 stops").allMatch(HOSTS::contains);
    assertThat(during.subList(during.size() - 10, during.size())).as("then only e1 answers").containsOnly("e1");
  }

  @Test
  void aServiceCreatedAfterTheSidecarStartedIsCallableByNameAndGoesAwayWhenDeleted() throws Exception {
    runningAgents(List.of("e1"));
    mesh.api.put("/v1/namespaces/a/services/late", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"late\",\"port\":9090}]}").expect(201);
    // The endpoint is e1's app itself: what is proven here is the caller side (hosts entry, VIP, listener).
    mesh.api.put("/v1/namespaces/a/services/late/endpoints/late-1", "{\"address\":\"" + net.host("e1").address()
        + "\",\"port\":" + APP_PORT + "}").expect(201);
    String vip = vip("late");
    assertThat(vip).startsWith("127.255.");
    Poll.until(Duration.ofSeconds(30), () -> read(hostsFile("e1")).contains(vip + "\tlate"), "the hosts entry arrives");
    String url = "http://" + vip + ":9090/";
    Poll.until(Duration.ofSeconds(30), () -> call("e1", url, 1).equals(List.of("e1")), "the new alias answers through Envoy");

    mesh.api.delete("/v1/namespaces/a/services/late/endpoints/late-1").expect(204);
    mesh.api.delete("/v1/namespaces/a/services/late").expect(204);
    Poll.until(Duration.ofSeconds(30), () -> !read(hostsFile("e1")).contains("\tlate"), "the hosts entry goes");
    Poll.until(Duration.ofSeconds(30), () -> call("e1", url, 1).get(0).startsWith("FAILED"),
        "the alias's listener goes: nothing answers on its VIP");
  }

  /** The agents of these hosts, started where no earlier test left one running, once their endpoints are HEALTHY. */
  private static void runningAgents(List<String> hosts) throws Exception {
    for (String h : hosts) {
      if (!agents.containsKey(h) || !agents.get(h).isAlive()) {
        agents.put(h, startAgent(h));
      }
    }
    for (String h : hosts) {
      Poll.until(Duration.ofSeconds(90), () -> "HEALTHY".equals(health(h)), () -> h + " HEALTHY; log:\n" + log(h));
    }
  }

  /** The VIP of a service's first alias, as the services list shows it. */
  private static String vip(String service) {
    for (JsonNode item : mesh.api.get("/v1/namespaces/a/services").body().path("items")) {
      if (item.path("discoveryName").asText().equals(service)) {
        return item.at("/clientAliases/0/vip").asText();
      }
    }
    throw new AssertionError("no service " + service);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "";
    }
  }

  private static Process startAgent(String h) throws Exception {
    NetnsHosts.Host host = net.host(h);
    Path token = dir.resolve("token");
    Files.writeString(token, Mesh.AGENT_A);
    Files.writeString(hostsFile(h), "127.0.0.1\tlocalhost\n");
    List<String> command = mesh.agentCommand(token, "a");
    command.addAll(List.of("--service", "web", "--app-port", Integer.toString(APP_PORT), "--ingress-port", Integer.toString(INGRESS_PORT),
        "--address", host.address(), "--task-id", h, "--envoy-bin", Prerequisites.envoy().toString(),
        "--hosts-file", hostsFile(h).toString(), "--drain-time", "2", "--stop-grace", "3", "--lease-ttl", "3",
        "--work-dir", dir.resolve("work-" + h).toString(), "--"));
    command.addAll(TestProcesses.java(List.of()));
    command.addAll(List.of(HttpHostMain.class.getName(), h, Integer.toString(APP_PORT)));
    return TestProcesses.spawn(new ProcessBuilder(net.exec(host, command)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent-" + h + ".log").toFile()));
  }

  private static Process caller(String h, String url, int count) throws Exception {
    List<String> command = new ArrayList<>(TestProcesses.java(List.of()));
    command.addAll(List.of(HttpCallerMain.class.getName(), url, Integer.toString(count), "50"));
    return TestProcesses.spawn(new ProcessBuilder(net.exec(net.host(h), command))
        .redirectError(dir.resolve("caller.log").toFile()));
  }

  private static List<String> call(String h, String url, int count) {
    try {
      return answers(caller(h, url, count));
    } catch (Exception e) {
      throw new IllegalStateException("caller on " + h + " failed", e);
    }
  }

  /** The answers a caller printed, until it is done (bounded by its own call timeouts). */
  private static List<String> answers(Process caller) throws Exception {
    List<String> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(caller.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null && !line.equals("DONE"); line = in.readLine()) {
        out.add(line.substring(line.indexOf(' ') + 1));
      }
    }
    return out;
  }

  private static String health(String h) {
    ApiClient.Response r = mesh.api.get("/v1/namespaces/a/services/web/endpoints/" + h);
    return r.status() == 200 ? r.body().path("health").asText("HEALTHY") : "ABSENT";
  }

  private static Path hostsFile(String h) {
    return dir.resolve("hosts-" + h);
  }

  private static String log(String h) {
    try {
      return Files.readString(dir.resolve("agent-" + h + ".log"));
    } catch (Exception e) {
      return "(no log)";
    }
  }
}
