package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.testbed.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every appProtocol across test hosts, through real Envoy sidecars run by {@code tether agent run}: a
 * caller app on {@code pa} calls a service by its alias name (the agent's hosts file, the alias's VIP,
 * pa's egress listener, the cluster, pb's or pc's ingress listener, the app on 127.0.0.1) and both pb and
 * pc answer; endpoints DRAINING or UNHEALTHY get no new calls, and get them again once HEALTHY.
 *
 * <p>pa's agent is a client-only task whose hosts file is {@code /etc/netns/NETNS/hosts}: {@code ip netns
 * exec} bind-mounts it over /etc/hosts for every process started in pa, so callers resolve the alias with
 * their ordinary resolver, exactly as apps on a host whose /etc/hosts the agent manages.
 */
class EnvoyProtocolsTest {
  /** A service of the test, served on pb and pc by an agent each, on ports of its own. */
  record Svc(String name, String protocol, int aliasPort, int appPort, int ingressPort, int adminPort, String check) {
    String spec() {
      return "{\"portName\":\"p\",\"appProtocol\":\"" + protocol + "\",\"clientAliases\":[{\"dnsName\":\"" + name
          + "\",\"port\":" + aliasPort + "}],\"healthCheck\":{" + check + ",\"intervalSeconds\":1,"
          + "\"timeoutSeconds\":1,\"healthyThreshold\":1,\"unhealthyThreshold\":2}}";
    }

    /** What a call answers when it reached {@code host}'s app: an h2c app says it was spoken to in HTTP/2. */
    String answer(String host) {
      return protocol.equals("http2") ? host + "/HTTP_2" : host;
    }
  }

  private static final Map<String, Svc> SERVICES = Map.of(
      "web", new Svc("web", "http", 8080, 8081, 15001, 9911, "\"protocol\":\"http\",\"path\":\"/healthz\""),
      "h2", new Svc("h2", "http2", 8082, 8083, 15002, 9912, "\"protocol\":\"http\",\"path\":\"/\""),
      "rpc", new Svc("rpc", "grpc", 9090, 9091, 15003, 9913, "\"protocol\":\"grpc\""),
      "echo", new Svc("echo", "tcp", 7000, 7001, 15004, 9914, "\"protocol\":\"tcp\""));
  private static final List<String> BACKENDS = List.of("pb", "pc");
  private static final int SETTLED = 10;
  private static final int FURTHER = 50;
  private static NetnsHosts net;
  private static Mesh mesh;
  private static Path dir;
  private static Path etc;
  private static final List<Process> agents = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    Prerequisites.envoy();
    Prerequisites.testHosts(NetnsHosts.unavailable());
    long start = System.nanoTime();
    dir = TestEtcd.tempDir("envoy-protocols");
    net = new NetnsHosts(List.of("pa", "pb", "pc"));
    mesh = new Mesh(net.host("pa").rootAddress());
    mesh.api.put("/v1/namespaces/a", "{}");
    for (Svc s : SERVICES.values()) {
      mesh.api.put("/v1/namespaces/a/services/" + s.name(), s.spec()).expect(201);
    }
    etc = Path.of("/etc/netns", net.host("pa").netns());
    Files.createDirectories(etc);
    // Not this machine's: its own host name is left out on purpose, so pa's agent proves that a task
    // starts where the host name resolves nowhere (as in many containers and namespaces).
    Files.writeString(etc.resolve("hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
    agents.add(startAgent("pa", null, etc.resolve("hosts"), List.of("/bin/sleep", "300")));
    for (String h : BACKENDS) {
      for (Svc s : SERVICES.values()) {
        agents.add(startAgent(h, s, dir.resolve("hosts-" + h + "-" + s.name()), app(h, s)));
      }
    }
    for (String h : BACKENDS) {
      for (Svc s : SERVICES.values()) {
        Poll.until(Duration.ofSeconds(90), () -> "HEALTHY".equals(health(s, h)), () -> h + "-" + s.name() + " HEALTHY");
      }
    }
    System.out.printf("EnvoyProtocolsTest: 9 agents and Envoys, 8 apps up in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void tearDown() throws Exception {
    agents.forEach(Process::destroyForcibly);
    if (mesh != null) {
      mesh.close();
    }
    if (net != null) {
      net.close();
    }
    if (etc != null) {
      Files.deleteIfExists(etc.resolve("hosts"));
      Files.deleteIfExists(etc);
    }
  }

  /** Each service called in its own protocol, and an http2 one also by an HTTP/1.1 app (the sidecars speak HTTP/2). */
  @ParameterizedTest(name = "{0} called in {1}")
  @CsvSource({"web,http", "h2,http2", "h2,http", "rpc,grpc", "echo,tcp"})
  void aCallerOnOneHostReachesTheServiceOnBothOthersByItsAlias(String service, String protocol) throws Exception {
    Svc s = SERVICES.get(service);
    try (HostCaller caller = caller(s, protocol)) {
      long start = System.nanoTime();
      caller.until(Duration.ofSeconds(30), seen -> seen.contains(s.answer("pb")) && seen.contains(s.answer("pc")),
          "both pb and pc answer " + service);
      long spread = (System.nanoTime() - start) / 1_000_000;
      List<String> next = caller.next(FURTHER);
      System.out.printf("EnvoyProtocolsTest %s (%s) called in %s: both answered after %d ms; next %d calls %s%n",
          service, s.protocol(), protocol, spread, FURTHER, counts(next));
      assertThat(next).as("every call answered by pb or pc").allMatch(a -> a.equals(s.answer("pb"))
          || a.equals(s.answer("pc"))).contains(s.answer("pb"), s.answer("pc"));
    }
  }

  /** DRAINING set as an agent sets it; pc's agent pushes health only when its app's or Envoy's changes: no race. */
  @ParameterizedTest
  @ValueSource(strings = {"web", "h2", "rpc", "echo"})
  void aDrainingEndpointGetsNoNewCallsAndGetsThemAgainWhenHealthy(String service) throws Exception {
    Svc s = SERVICES.get(service);
    ApiClient agentApi = new ApiClient(mesh.apiUrl(), Mesh.AGENT_A);
    String pcHealth = "/v1/namespaces/a/services/" + service + "/endpoints/pc/health";
    try (HostCaller caller = caller(s, s.protocol())) {
      caller.until(Duration.ofSeconds(30), seen -> seen.contains(s.answer("pc")), "pc answers");
      long changedAt = System.currentTimeMillis();
      agentApi.put(pcHealth, "{\"health\":\"DRAINING\"}").expect(200);
      onlyPbAnswers(caller, s, "DRAINING", changedAt);
      agentApi.put(pcHealth, "{\"health\":\"HEALTHY\"}").expect(200);
      caller.until(Duration.ofSeconds(30), seen -> seen.contains(s.answer("pc")), "pc answers again once HEALTHY");
    } finally {
      agentApi.put(pcHealth, "{\"health\":\"HEALTHY\"}");
    }
  }

  @Test
  void anEndpointWhoseHealthCheckFailsGetsNoNewCallsUntilItPassesAgain() throws Exception {
    Svc web = SERVICES.get("web");
    Path sick = dir.resolve("sick-pc");
    try (HostCaller caller = caller(web, web.protocol())) {
      caller.until(Duration.ofSeconds(30), seen -> seen.contains("pc"), "pc answers");
      long changedAt = System.currentTimeMillis();
      Files.writeString(sick, ""); // pc's /healthz fails: after 2 failed checks 1 s apart its agent reports UNHEALTHY
      Poll.until(Duration.ofSeconds(30), () -> "UNHEALTHY".equals(health(web, "pc")), "pc's agent reports UNHEALTHY");
      System.out.printf("EnvoyProtocolsTest web pc UNHEALTHY in the registry %d ms after its check began failing%n",
          System.currentTimeMillis() - changedAt);
      onlyPbAnswers(caller, web, "UNHEALTHY", changedAt);
      Files.delete(sick);
      Poll.until(Duration.ofSeconds(30), () -> "HEALTHY".equals(health(web, "pc")), "pc's agent reports HEALTHY");
      caller.until(Duration.ofSeconds(30), seen -> seen.contains("pc"), "pc answers again once HEALTHY");
    } finally {
      Files.deleteIfExists(sick);
    }
  }

  /**
   * Waits until the last calls all reached pb, then proves with further calls that none reaches pc; reports
   * how long after {@code changedAt} (epoch ms) a call still reached pc (the answers read first may predate
   * the change: the caller does not wait for the test to read).
   */
  private static void onlyPbAnswers(HostCaller caller, Svc s, String why, long changedAt) throws Exception {
    String pb = s.answer("pb");
    AtomicLong lastPc = new AtomicLong(changedAt);
    List<String> settling = caller.until(Duration.ofSeconds(30), seen -> {
      if (!seen.isEmpty() && seen.get(seen.size() - 1).equals(s.answer("pc")) && caller.lastAt() > changedAt) {
        lastPc.set(caller.lastAt());
      }
      return seen.size() >= SETTLED && seen.subList(seen.size() - SETTLED, seen.size()).stream().allMatch(pb::equals);
    }, "only pb answers");
    List<String> next = caller.next(FURTHER);
    System.out.printf("EnvoyProtocolsTest %s pc %s: calls reached pc until %d ms after the change (calls read until %d"
        + " in a row on pb: %s); next %d calls %s%n", s.name(), why, lastPc.get() - changedAt, SETTLED,
        counts(settling), FURTHER, counts(next));
    assertThat(next).as("no call reaches pc while it is " + why).containsOnly(pb);
  }

  private static Map<String, Long> counts(List<String> answers) {
    return answers.stream().collect(Collectors.groupingBy(a -> a, TreeMap::new, Collectors.counting()));
  }

  private static HostCaller caller(Svc s, String protocol) throws Exception {
    List<String> command = new ArrayList<>(TestProcesses.java(List.of()));
    command.addAll(List.of(ProtocolCallerMain.class.getName(), protocol, s.name(), Integer.toString(s.aliasPort()),
        "20"));
    return new HostCaller(TestProcesses.spawn(new ProcessBuilder(net.exec(net.host("pa"), command))
        .redirectError(dir.resolve("caller-" + s.name() + ".log").toFile())));
  }

  private static List<String> app(String h, Svc s) {
    List<String> command = new ArrayList<>(TestProcesses.java(List.of()));
    String port = Integer.toString(s.appPort());
    command.addAll(switch (s.protocol()) {
      case "grpc" -> List.of(HostBackendMain.class.getName(), h, port, "300");
      case "http" -> List.of(ProtocolAppMain.class.getName(), "http", h, port, dir.resolve("sick-" + h).toString());
      default -> List.of(ProtocolAppMain.class.getName(), s.protocol(), h, port);
    });
    return command;
  }

  /** An agent on host {@code h} serving {@code s} (none: a client-only task) with {@code app}. */
  private static Process startAgent(String h, Svc s, Path hostsFile, List<String> app) throws Exception {
    String task = s == null ? h : h + "-" + s.name();
    Path token = dir.resolve("token");
    Files.writeString(token, Mesh.AGENT_A);
    if (!Files.exists(hostsFile)) {
      Files.writeString(hostsFile, "127.0.0.1\tlocalhost\n");
    }
    List<String> command = mesh.agentCommand(token, "a");
    command.addAll(List.of("--envoy-bin", Prerequisites.envoy().toString(), "--hosts-file", hostsFile.toString(), "--drain-time", "1",
        "--stop-grace", "2", "--lease-ttl", "3", "--work-dir", dir.resolve("work-" + task).toString()));
    if (s == null) {
      command.addAll(List.of("--admin-port", "9910", "--task-id", h));
    } else {
      command.addAll(List.of("--service", s.name(), "--app-port", Integer.toString(s.appPort()), "--ingress-port",
          Integer.toString(s.ingressPort()), "--admin-port", Integer.toString(s.adminPort()), "--address",
          net.host(h).address(), "--task-id", h));
    }
    command.add("--");
    command.addAll(app);
    return TestProcesses.spawn(new ProcessBuilder(net.exec(net.host(h), command)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent-" + task + ".log").toFile()));
  }

  private static String health(Svc s, String h) {
    ApiClient.Response r = mesh.api.get("/v1/namespaces/a/services/" + s.name() + "/endpoints/" + h);
    return r.status() == 200 ? r.body().path("health").asText("HEALTHY") : "ABSENT";
  }
}
