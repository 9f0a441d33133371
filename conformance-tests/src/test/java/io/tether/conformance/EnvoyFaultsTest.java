package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.testing.HealthTrace;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.testbed.NetnsHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults under steady load (issue 8, scenario 10): an app on host fa calls {@code http://web:8080} about
 * 50 times a second through its sidecar; web runs on fb and fc, each a task beside a real Envoy run by
 * {@code tether agent run}. Each fault (the xDS server restarted, etcd down for 30 s, fb's Envoy
 * SIGKILLed, fb's agent SIGTERMed) must fail no call, and the mesh must take registry writes again
 * after it. The mesh, hosts, agents and caller are shared; a scenario restarts what it stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnvoyFaultsTest {
  private static final List<String> SERVERS = List.of("fb", "fc");
  private static final int APP_PORT = 8081;
  private static final Duration ETCD_OUTAGE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration LEASE_TTL = Duration.ofSeconds(3);
  private static NetnsHosts net;
  private static LocalEtcd etcd;
  private static Mesh mesh;
  private static Path dir;
  private static final Map<String, Process> agents = new HashMap<>();
  private static SteadyCaller caller;
  private static int writes;

  @BeforeAll
  static void setUp() throws Exception {
    Prerequisites.envoy();
    Prerequisites.testHosts(NetnsHosts.unavailable());
    dir = TestEtcd.tempDir("envoy-faults");
    net = new NetnsHosts(List.of("fa", "fb", "fc"));
    etcd = TestEtcd.dedicated();
    mesh = Mesh.restartable(etcd.clientUrl(), net.host("fa").rootAddress());
    mesh.webServiceCheckedEverySecond();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (caller != null) {
      caller.close();
    }
    agents.values().forEach(Process::destroyForcibly);
    for (Process p : agents.values()) {
      p.waitFor(10, TimeUnit.SECONDS); // Envoy and the app die with their agent (pdeathsig)
    }
    for (AutoCloseable c : new AutoCloseable[] {mesh, etcd, net}) { // in this order: the server before its etcd
      if (c != null) {
        c.close();
      }
    }
  }

  /** Every scenario starts from the whole mesh up: agents HEALTHY, the caller answered by both hosts. */
  @BeforeEach
  void meshUp() throws Exception {
    if (!agents.containsKey("fa")) {
      agents.put("fa", startAgent("fa", null));
    }
    for (String h : SERVERS) {
      if (!agents.containsKey(h) || !agents.get(h).isAlive()) {
        agents.put(h, startAgent(h, "web"));
      }
    }
    for (String h : SERVERS) {
      Poll.until(Duration.ofSeconds(90), () -> "HEALTHY".equals(health(h)), () -> h + " HEALTHY; log:\n" + log(h));
    }
    Poll.until(WAIT, () -> read(hostsFile("fa")).contains("\tweb"),
        "fa's agent maps web to its VIP");
    if (caller == null) {
      caller = new SteadyCaller(net, net.host("fa"), hostsFile("fa"), "http://web:8080/", 15, dir.resolve("caller.log"));
    }
    long now = System.currentTimeMillis();
    Poll.until(WAIT, () -> SERVERS.stream().allMatch(h -> caller.answeredSince(h, now)), "both hosts answer fa's calls");
  }

  @Test
  @Order(1)
  void anXdsServerRestartFailsNoCallAndTheEnvoysResyncWithTheNewServer() {
    long start = System.currentTimeMillis();
    mesh.restartServer();
    long restartedMs = System.currentTimeMillis() - start;
    long reconnectMs = Poll.until(WAIT, () -> ackedProxies() == 3, "the three Envoys reconnect and ACK");
    long propagateMs = writeReachesEveryEnvoy();
    List<SteadyCaller.Call> calls = loadSince(start);
    report("xDS server restart", calls, "server back in %d ms, Envoys ACKed %d ms later, a write reached them in %d ms",
        restartedMs, reconnectMs, propagateMs);
    assertThat(SteadyCaller.failed(calls)).as("failed calls over the xDS server restart").isZero();
  }

  @Test
  @Order(2)
  void etcdDownForThirtySecondsFailsNoCallPublishesNothingAndTheRegistryTakesWritesAfterIt() {
    Map<String, JsonNode> before = ackedVersions();
    Map<String, String> leases = leases();
    long start = System.currentTimeMillis();
    etcd.close();
    Poll.until(WAIT, () -> !mesh.server.registry().view().isReady(), "the replica notices etcd is gone");
    Poll.until(ETCD_OUTAGE.plusSeconds(10), () -> System.currentTimeMillis() - start >= ETCD_OUTAGE.toMillis(),
        "the outage lasts its 30 s"); // the scenario itself, not synchronisation
    assertThat(SERVERS).allMatch(h -> agents.get(h).isAlive());
    assertThat(ackedVersions()).as("nothing published to the Envoys while etcd was down").isEqualTo(before);
    etcd.start().awaitHealthy(Duration.ofSeconds(20));
    long back = System.currentTimeMillis();
    long readyMs = Poll.until(WAIT, () -> mesh.server.registry().view().isReady(), "the replica is ready again");
    long propagateMs = writeReachesEveryEnvoy();
    // etcd gives every lease its TTL afresh when it restarts: past that, a lease not kept alive is gone.
    Poll.until(WAIT, () -> System.currentTimeMillis() - back > LEASE_TTL.plusSeconds(1).toMillis(),
        "a lease TTL has passed since etcd was back");
    Map<String, Long> reRegistered = Map.of("fb", reRegistrations("fb"), "fc", reRegistrations("fc"));
    List<SteadyCaller.Call> calls = caller.since(start);
    report("etcd down 30 s", calls, "outage %d ms; replica ready %d ms after etcd was back, a write reached the "
        + "Envoys %d ms later; endpoints registered again %s", back - start, readyMs, propagateMs, reRegistered);
    assertThat(SteadyCaller.failed(calls)).as("failed calls over the etcd outage").isZero();
    assertThat(readyMs).as("ms from etcd back to the replica ready (its etcd client reconnected)").isLessThan(5_000);
    assertThat(SERVERS).as("no agent exited").allMatch(h -> agents.get(h).isAlive());
    assertThat(SERVERS).as("still registered HEALTHY after the outage").allMatch(h -> "HEALTHY".equals(health(h)));
    assertThat(leases()).as("the endpoints' leases, kept alive across the outage").isEqualTo(leases);
    assertThat(reRegistered).as("re-registrations: the agents' leases lapsed while etcd was unreachable")
        .containsOnly(Map.entry("fb", 0L), Map.entry("fc", 0L));
  }

  @Test
  @Order(3)
  void aKilledEnvoyMakesItsEndpointUnhealthyAtOnceAndHealthyOnceRestartedWithoutFailedCalls() throws Exception {
    HealthTrace trace = new HealthTrace(mesh.api, "a", "web", "fb");
    trace.now();
    ProcessHandle envoy = envoyOf("fb");
    long start = System.currentTimeMillis();
    envoy.destroyForcibly(); // SIGKILL
    long unhealthyMs = trace.until("UNHEALTHY", Duration.ofSeconds(2));
    long healthyMs = unhealthyMs + trace.until("HEALTHY", WAIT);
    long now = System.currentTimeMillis();
    Poll.until(WAIT, () -> caller.answeredSince("fb", now), "fb answers again through its new Envoy");
    List<SteadyCaller.Call> calls = loadSince(start);
    report("kill -9 of fb's Envoy", calls, "UNHEALTHY after %d ms, HEALTHY after %d ms", unhealthyMs, healthyMs);
    assertThat(trace.seen()).containsExactly("HEALTHY", "UNHEALTHY", "HEALTHY");
    assertThat(envoyOf("fb").pid()).as("a new Envoy").isNotEqualTo(envoy.pid());
    // The caller calls one at a time, so at most one call is in flight when fb's Envoy dies: its stream is
    // reset, and the default retryOn does not retry a reset (the request may have run). Every later call
    // is routed around fb: refused connections are retried on fc.
    assertThat(calls.stream().filter(SteadyCaller.Call::failed).toList())
        .as("failed calls over the Envoy crash: at most the one in flight at the kill, ended by it")
        .hasSizeLessThanOrEqualTo(1).allMatch(c -> c.epochMs() - start < 1_000);
  }

  @Test
  @Order(4)
  void aSigtermedAgentDrainsThenLeavesTheRegistryWithoutFailedCalls() {
    HealthTrace trace = new HealthTrace(mesh.api, "a", "web", "fb");
    trace.now();
    long start = System.currentTimeMillis();
    agents.get("fb").destroy(); // SIGTERM
    long goneMs = Poll.until(WAIT, () -> "ABSENT".equals(trace.now()) && !agents.get("fb").isAlive(),
        "fb drains, leaves the registry and its agent exits");
    long now = System.currentTimeMillis();
    Poll.until(WAIT, () -> caller.since(now).size() >= 20, "calls after fb left");
    List<SteadyCaller.Call> calls = caller.since(start);
    report("SIGTERM of fb's agent", calls, "gone from the registry, agent exited %d ms after SIGTERM", goneMs);
    assertThat(trace.seen()).containsExactly("HEALTHY", "DRAINING", "ABSENT");
    assertThat(caller.since(now)).allMatch(c -> c.answer().equals("fc"));
    assertThat(SteadyCaller.failed(calls)).as("failed calls while fb stopped").isZero();
  }

  /** The calls since {@code start}, once there are at least 100 of them (2 s or more of load around a fault). */
  private static List<SteadyCaller.Call> loadSince(long start) {
    Poll.until(WAIT, () -> caller.since(start).size() >= 100, "100 calls since the fault");
    return caller.since(start);
  }

  private static void report(String fault, List<SteadyCaller.Call> calls, String format, Object... args) {
    double seconds = (calls.get(calls.size() - 1).epochMs() - calls.get(0).epochMs()) / 1000.0;
    System.out.printf("[EnvoyFaultsTest] %s: %d of %d calls failed (%.0f calls/s); %s%s%n", fault,
        SteadyCaller.failed(calls), calls.size(), calls.size() / seconds, String.format(format, args),
        calls.stream().filter(SteadyCaller.Call::failed).map(c -> "; " + c.answer()).collect(Collectors.joining()));
  }

  /**
   * Creates a new service in the namespace and waits until every Envoy ACKed the configuration that
   * carries it (its CDS version changes); returns the ms that took.
   */
  private static long writeReachesEveryEnvoy() {
    Map<String, JsonNode> before = ackedVersions();
    String name = "probe-" + (++writes);
    mesh.api.put("/v1/namespaces/a/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":9090}]}").expect(201);
    return Poll.until(WAIT, () -> {
      Map<String, JsonNode> now = ackedVersions();
      return now.size() == 3 && now.keySet().stream()
          .allMatch(n -> before.get(n) == null || !before.get(n).path("CDS").equals(now.get(n).path("CDS")));
    }, "every Envoy ACKs the new service");
  }

  /** The ACKed versions per type of every connected proxy of namespace a, by node id. */
  private static Map<String, JsonNode> ackedVersions() {
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode item : mesh.api.get("/v1/proxies?namespace=a").expect(200).body().path("items")) {
      JsonNode stream = item.path("stream");
      out.put(stream.path("nodeId").asText(), stream.path("ackedVersions"));
    }
    return out;
  }

  /** How many proxies of namespace a have ACKed listeners, clusters and endpoints. */
  private static long ackedProxies() {
    return ackedVersions().values().stream()
        .filter(v -> v.hasNonNull("LDS") && v.hasNonNull("CDS") && v.hasNonNull("EDS")).count();
  }

  private static ProcessHandle envoyOf(String h) throws java.io.IOException {
    Path binary = Prerequisites.envoy().toRealPath(); // what the kernel reports, links resolved
    return agents.get(h).descendants()
        .filter(p -> p.info().command().map(c -> Path.of(c).equals(binary)).orElse(false))
        .findFirst().orElseThrow(() -> new AssertionError("no Envoy among " + h + "'s agent's children"));
  }

  /** {@code tether agent run} on host {@code h}, serving {@code service} (null: a client-only task). */
  private static Process startAgent(String h, String service) throws Exception {
    NetnsHosts.Host host = net.host(h);
    Path token = dir.resolve("token");
    Files.writeString(token, Mesh.AGENT_A);
    Files.writeString(hostsFile(h), "127.0.0.1\tlocalhost\n");
    List<String> command = mesh.agentCommand(token, "a");
    command.addAll(List.of("--app-port", Integer.toString(APP_PORT), "--address", host.address(), "--task-id", h,
        "--envoy-bin", Prerequisites.envoy().toString(), "--hosts-file", hostsFile(h).toString(),
        "--drain-time", "2", "--stop-grace", "3", "--lease-ttl", Long.toString(LEASE_TTL.toSeconds()), "--work-dir", dir.resolve("work-" + h).toString()));
    if (service != null) {
      command.addAll(List.of("--service", service));
    }
    command.add("--");
    command.addAll(TestProcesses.java(List.of()));
    command.addAll(List.of(HttpHostMain.class.getName(), h, Integer.toString(APP_PORT)));
    return TestProcesses.spawn(new ProcessBuilder(net.exec(host, command)).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent-" + h + ".log").toFile()));
  }

  /** The lease each served endpoint is registered under, by endpoint id. */
  private static Map<String, String> leases() {
    Map<String, String> out = new HashMap<>();
    for (String h : SERVERS) {
      out.put(h, mesh.api.get("/v1/namespaces/a/services/web/endpoints/" + h).expect(200).body().path("leaseId").asText());
    }
    return out;
  }

  private static String health(String h) {
    var r = mesh.api.get("/v1/namespaces/a/services/web/endpoints/" + h);
    return r.status() == 200 ? r.body().path("health").asText("HEALTHY") : "ABSENT";
  }

  /** How often the agent of {@code h} had to register its endpoint again (its lease or endpoint was gone). */
  private static long reRegistrations(String h) {
    return log(h).lines().filter(l -> l.contains("again under lease")).count();
  }

  private static Path hostsFile(String h) {
    return dir.resolve("hosts-" + h);
  }

  private static String log(String h) {
    return read(dir.resolve("agent-" + h + ".log"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "";
    }
  }
}
