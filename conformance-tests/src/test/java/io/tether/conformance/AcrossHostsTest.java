package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.testbed.NetnsHosts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Across hosts: three test hosts, each a network namespace of its own with a veth to the root namespace
 * (where the control plane runs), each running {@code tether agent run --proxyless} beside a gRPC backend
 * that answers its host's name; a stock grpc-java xDS client in a fourth namespace calls the service by
 * name and reaches every host. Then one host drops off the network (its endpoint leaves within the lease
 * TTL, traffic moves; back, it registers again), one host's agent is killed with SIGKILL (its backend goes
 * with it; traffic moves, the endpoint leaves within the TTL), and one is stopped with SIGTERM (its
 * traffic leaves during the drain time, no call fails). Every process is a real one and every call
 * crosses veths and the root namespace's forwarding. Measurements are printed
 * ({@code [AcrossHostsTest] ...}). Needs root (namespaces); skipped, saying so, without it.
 */
class AcrossHostsTest {
  private static final String TAG = "[AcrossHostsTest] ";
  private static final int APP_PORT = 7070;
  private static final int LEASE_TTL_S = 3;
  private static final long CALL_DEADLINE_MS = 1_000;
  private static final long DRAIN_MS = 1_000;
  private static final String SERVICE = "echo";
  private static final int ALIAS_PORT = 9090;
  /** Small, quick-starting JVMs: seven of them share two cores. */
  private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
  private static final List<String> HOSTS = List.of("h1", "h2", "h3");

  private static NetnsHosts net;
  private static Mesh mesh;
  private static Path dir;
  private static String runId;
  private static final Map<String, Process> agents = new LinkedHashMap<>();
  private static Process client;
  private static final List<Call> calls = new CopyOnWriteArrayList<>();
  private static String clientNodeId;

  /** One call the client made: when it ended (epoch ms) and who answered (or the status code, or HUNG). */
  record Call(long at, String answer) {
    boolean ok() {
      return HOSTS.contains(answer);
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    Prerequisites.testHosts(NetnsHosts.unavailable());
    dir = TestEtcd.tempDir("across");
    runId = Long.toString(ProcessHandle.current().pid());
    List<String> names = new ArrayList<>(List.of("c"));
    names.addAll(HOSTS);
    net = new NetnsHosts(names);
    // The control plane listens on the client's root-side address; every namespace reaches it through
    // its own veth (the root namespace owns all its veths' addresses).
    mesh = new Mesh(net.host("c").rootAddress());
    // Checks every second (the agent follows the service's policy): the default 5 s interval and two
    // passes would make every start take more than 10 s.
    mesh.service("a", SERVICE, ALIAS_PORT, "\"healthCheck\":{\"protocol\":\"grpc\",\"intervalSeconds\":1,"
        + "\"timeoutSeconds\":1,\"healthyThreshold\":2,\"unhealthyThreshold\":2}");
    mesh.awaitView();
    System.out.printf(TAG + "hosts on 10.250.%d.0/24: %s; control plane at %s (xDS port %d)%n", net.subnet,
        names.stream().map(n -> n + "=" + net.host(n).address()).collect(Collectors.joining(", ")),
        mesh.apiUrl(), mesh.xdsPort());
  }

  @AfterAll
  static void tearDown() {
    if (dir != null) { // every call the client made, for a look after a failure
      try {
        Files.write(dir.resolve("calls.txt"), calls.stream().map(c -> c.at() + " " + c.answer()).toList());
      } catch (IOException e) {
        System.out.println(TAG + "could not keep the calls: " + e.getMessage());
      }
    }
    if (client != null) {
      client.destroyForcibly();
    }
    agents.values().forEach(Process::destroyForcibly); // their apps go with them (pdeathsig)
    if (mesh != null) {
      mesh.close();
    }
    if (net != null) {
      net.close(); // kills whatever is left in the namespaces, deletes veths and namespaces
    }
  }

  @Test
  void threeHostsAnswerByNameAndAKilledHostsTrafficMovesToTheOthersWithinTheLeaseTtl() throws Exception {
    startClient();
    long clientUp = Poll.until(Duration.ofSeconds(30), () -> !calls.isEmpty() && clientEdsVersion() != null,
        () -> "the client makes calls and has an ADS stream; its log:\n" + tail(dir.resolve("client.log")));
    System.out.printf(TAG + "client process calling xds:///%s:%d after %d ms (first answer: %s)%n", SERVICE,
        ALIAS_PORT, clientUp, calls.get(0).answer());

    // Hosts one after another, so each start is measured on its own.
    for (String h : HOSTS) {
      long started = System.currentTimeMillis();
      agents.put(h, startAgent(h));
      long healthy = Poll.until(Duration.ofSeconds(60), () -> "HEALTHY".equals(health(h)),
          () -> h + " registered HEALTHY; agent log:\n" + tail(agentLog(h)));
      Poll.until(Duration.ofSeconds(20), () -> firstAnswer(h, started) != null,
          () -> "the client reaches " + h + "; calls since its start: " + summary(since(started)));
      System.out.printf(TAG + "%s: agent start -> endpoint HEALTHY in the registry %d ms, -> first call answered "
          + "by %s in the client (other namespace) %d ms%n", h, healthy, h, firstAnswer(h, started).at() - started);
    }

    // Calls that began once the client had all three (a call in flight across an endpoint change may
    // hang until its deadline: grpc-java's outlier-detection defect, docs/xds-clients.md).
    long allUp = System.currentTimeMillis() + CALL_DEADLINE_MS + 1_000;
    Poll.until(Duration.ofSeconds(15), () -> since(allUp).size() >= 90, () -> "calls go on: " + summary(since(allUp)));
    List<Call> spread = since(allUp).subList(0, 90);
    assertThat(spread).as("calls once every host is up: %s; failed: %s", summary(spread), failed(spread, allUp))
        .allMatch(Call::ok);
    for (String h : HOSTS) {
      assertThat(spread.stream().filter(c -> c.answer().equals(h)).count()).as("%s's share of %s", h, summary(spread))
          .isGreaterThanOrEqualTo(20);
    }
    System.out.printf(TAG + "all three hosts answer the client by name: %s%n", summary(spread));
    printRss();

    cutOffAndBack("h3");
    killAndMoveAway("h2");
    stopGracefully("h3");

    client.getOutputStream().close(); // the client stops when its stdin closes
    assertThat(client.waitFor(10, TimeUnit.SECONDS)).as("client exits when told").isTrue();
  }

  /**
   * {@code h} drops off the network (no FIN, no RST: calls to it hang): its lease is not kept alive, its
   * endpoint leaves within the TTL and the client's traffic moves; back on the network, the agent
   * registers it again and it gets traffic again.
   */
  private void cutOffAndBack(String h) {
    String edsBefore = clientEdsVersion();
    long cut = System.currentTimeMillis();
    net.cut(net.host(h));
    long ttlPlusOne = LEASE_TTL_S * 1_000L + 1_000;
    Poll.until(Duration.ofMillis(ttlPlusOne), () -> endpoint(h) == null,
        () -> h + "'s endpoint leaves the registry within the lease TTL + 1 s of losing the network; now " + health(h));
    long endpointGone = System.currentTimeMillis() - cut;
    Poll.until(Duration.ofSeconds(3), () -> !edsBefore.equals(clientEdsVersion()), "the client ACKs the endpoints without " + h);
    long edsAt = System.currentTimeMillis();
    Poll.until(Duration.ofSeconds(10), () -> since(edsAt + CALL_DEADLINE_MS + 1_000).size() >= 30,
        () -> "calls go on: " + summary(since(edsAt)));
    List<Call> after = since(edsAt + CALL_DEADLINE_MS + 1_000); // calls begun after the update
    assertThat(after).as("calls once the client dropped %s: %s; failed: %s", h, summary(after), failed(after, cut))
        .allMatch(Call::ok);
    Set<String> others = new TreeSet<>(HOSTS);
    others.remove(h);
    assertThat(after.stream().map(Call::answer).collect(Collectors.toSet())).as("answered by")
        .containsExactlyInAnyOrderElementsOf(others);
    List<Call> window = since(cut).stream().filter(c -> c.at() <= edsAt + CALL_DEADLINE_MS + 1_000).toList();
    Optional<Call> lastFailure = window.stream().filter(c -> !c.ok()).reduce((a, b) -> b);

    long healed = System.currentTimeMillis();
    net.heal(net.host(h));
    Poll.until(Duration.ofSeconds(10), () -> "HEALTHY".equals(health(h)),
        () -> h + " registers again once back; agent log:\n" + tail(agentLog(h)));
    long registeredAgain = System.currentTimeMillis() - healed;
    Poll.until(Duration.ofSeconds(10), () -> firstAnswer(h, healed) != null,
        () -> h + " gets calls again: " + summary(since(healed)));
    System.out.printf(TAG + "%s cut off the network: endpoint gone from the registry %d ms later (lease TTL %d s), "
        + "client ACKed EDS without it %d ms later; meanwhile %s, the last failure %s; back on the network: "
        + "registered again %d ms, first call answered by %s %d ms after%n", h, endpointGone, LEASE_TTL_S,
        edsAt - cut, summary(window), lastFailure.map(c -> (c.at() - cut) + " ms after the cut").orElse("none"),
        registeredAgain, h, firstAnswer(h, healed).at() - healed);
  }

  /** SIGKILL to {@code h}'s agent: its backend dies with it, its endpoint leaves with the lease, traffic moves. */
  private void killAndMoveAway(String h) throws Exception {
    Process agent = agents.get(h);
    List<ProcessHandle> children = agent.toHandle().descendants().toList();
    assertThat(children).as("%s's agent runs its backend", h).isNotEmpty();
    String edsBefore = clientEdsVersion();
    long killed = System.currentTimeMillis();
    agent.destroyForcibly();
    assertThat(agent.waitFor(5, TimeUnit.SECONDS)).as("the agent died").isTrue();
    // Dead, not reaped: an orphan stays a zombie until the machine's init reaps it (here every ~1.5 s).
    long appGone = Poll.until(Duration.ofSeconds(5), () -> children.stream().allMatch(AcrossHostsTest::dead),
        () -> h + "'s backend dies with its agent: " + children.stream().filter(p -> !dead(p)).toList());
    assertThat(net.pids(net.host(h))).as("processes left in %s's namespace", h).isEmpty();
    long ttlPlusOne = LEASE_TTL_S * 1_000L + 1_000;
    Poll.until(Duration.ofMillis(ttlPlusOne - (System.currentTimeMillis() - killed)), () -> endpoint(h) == null,
        () -> h + "'s endpoint leaves the registry within the lease TTL + 1 s of the kill; now " + health(h));
    long endpointGone = System.currentTimeMillis() - killed;
    Poll.until(Duration.ofSeconds(3), () -> !edsBefore.equals(clientEdsVersion()),
        "the client ACKs the endpoints without " + h);
    long edsAt = System.currentTimeMillis();
    long edsAcked = edsAt - killed;

    // After the client has the new endpoints: every call succeeds, on the other hosts only.
    Poll.until(Duration.ofSeconds(5), () -> since(edsAt).size() >= 40, () -> "calls after the update: "
        + summary(since(edsAt)));
    List<Call> after = since(edsAt);
    Set<String> others = new TreeSet<>(HOSTS);
    others.remove(h);
    assertThat(after).as("calls after the client dropped %s: %s; failed: %s", h, summary(after), failed(after, killed))
        .allMatch(Call::ok);
    assertThat(after.stream().map(Call::answer).collect(Collectors.toSet())).as("answered by")
        .containsExactlyInAnyOrderElementsOf(others);
    Optional<Call> lastFromKilled = since(0).stream().filter(c -> c.answer().equals(h)).reduce((a, b) -> b);
    assertThat(lastFromKilled).isPresent();
    assertThat(lastFromKilled.get().at() - killed).as("%s answers no call once killed", h).isLessThan(500);
    List<Call> window = since(killed).stream().filter(c -> c.at() <= edsAt).toList();
    System.out.printf(TAG + "kill -9 %s's agent: its backend dead %d ms later; endpoint gone from the registry %d ms "
        + "after the kill (lease TTL %d s); client ACKed EDS without %s %d ms after the kill; last call answered "
        + "by %s %d ms after the kill; in between: %s; then %d calls all on %s%n", h, appGone, endpointGone,
        LEASE_TTL_S, h, edsAcked, h, lastFromKilled.get().at() - killed, summary(window), after.size(), others);
  }

  /**
   * SIGTERM to {@code h}'s agent: DRAINING, the client stops calling it during the drain time (before its
   * app is stopped), then the app stops, the endpoint is deregistered and the agent exits 0; no call fails.
   */
  private void stopGracefully(String h) throws Exception {
    Process agent = agents.get(h);
    String edsBefore = clientEdsVersion();
    long[] draining = {-1};
    long[] edsChanged = {-1};
    long termed = System.currentTimeMillis();
    agent.destroy(); // SIGTERM
    Poll.until(Duration.ofSeconds(15), () -> {
      long now = System.currentTimeMillis() - termed;
      if (draining[0] < 0 && "DRAINING".equals(health(h))) {
        draining[0] = now;
      }
      if (edsChanged[0] < 0 && !edsBefore.equals(clientEdsVersion())) {
        edsChanged[0] = now;
      }
      return endpoint(h) == null;
    }, () -> h + "'s endpoint is deregistered; agent log:\n" + tail(agentLog(h)));
    long gone = System.currentTimeMillis() - termed;
    assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("%s's agent exits after SIGTERM", h).isTrue();
    long exited = System.currentTimeMillis() - termed;
    assertThat(agent.exitValue()).as("with its app's status; log:\n%s", tail(agentLog(h))).isZero();
    assertThat(edsChanged[0]).as("the client got new endpoints while %s drained", h).isNotNegative();
    long settled = System.currentTimeMillis();
    Poll.until(Duration.ofSeconds(5), () -> since(settled).size() >= 20, "calls go on");
    List<Call> after = since(settled);
    Set<String> rest = new TreeSet<>(HOSTS);
    rest.remove(h);
    rest.removeIf(other -> !agents.get(other).isAlive());
    assertThat(after).as("calls after %s stopped: %s; failed: %s", h, summary(after), failed(after, termed))
        .allMatch(Call::ok);
    assertThat(after.stream().map(Call::answer).collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(rest);
    List<Call> window = since(termed).stream().filter(c -> c.at() <= settled).toList();
    assertThat(window).as("no call fails while %s drains and stops: %s; failed: %s", h, summary(window),
        failed(window, termed)).allMatch(Call::ok);
    Optional<Call> last = since(termed).stream().filter(c -> c.answer().equals(h)).reduce((a, b) -> b);
    long lastMs = last.map(c -> c.at() - termed).orElse(0L);
    assertThat(lastMs).as("%s's traffic is gone before its app is stopped (drain time %d ms)", h, DRAIN_MS)
        .isLessThan(DRAIN_MS);
    System.out.printf(TAG + "SIGTERM %s's agent: endpoint DRAINING in the registry %s, client ACKed new EDS %d ms, "
        + "last call answered by %s %s, app stopped and endpoint deregistered %d ms, agent exited %d ms after the "
        + "signal (drain time %d ms); calls in between: %s%n",
        h, draining[0] < 0 ? "(not seen by a 10 ms poll)" : draining[0] + " ms", edsChanged[0], h,
        last.map(c -> lastMs + " ms").orElse("never"), gone, exited, DRAIN_MS, summary(window));
  }

  /** True when the process is gone or a zombie (dead, not yet reaped). */
  private static boolean dead(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return true;
    }
  }

  private static void printRss() {
    Process agent = agents.get("h1");
    String app = agent.toHandle().children().findFirst().map(p -> rss(p.pid())).orElse("?");
    System.out.printf(TAG + "RSS beside one task (h1): agent %s (JVM defaults), its app (the gRPC backend) %s; "
        + "the client %s (both with %s)%n", rss(agent.pid()), app, rss(client.pid()), String.join(" ", JVM_FLAGS));
  }

  private static String rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    }
  }

  // --- processes -----------------------------------------------------------------------------------

  private static Process startAgent(String h) throws Exception {
    NetnsHosts.Host host = net.host(h);
    Path token = dir.resolve("agent-a.token");
    Files.writeString(token, Mesh.AGENT_A);
    // The agent with the JVM's defaults, as `tether agent run` starts it: its RSS is the one measured.
    List<String> command = mesh.agentCommand(token, "a");
    command.addAll(List.of("--service", SERVICE,
        "--app-port", Integer.toString(APP_PORT), "--address", host.address(), "--task-id", h + "-" + runId,
        "--health-check", "grpc", "--proxyless", "--lease-ttl", Integer.toString(LEASE_TTL_S),
        "--hosts-file", "none", "--drain-time", Long.toString(DRAIN_MS / 1_000), "--stop-grace", "3",
        "--work-dir", dir.resolve("work-" + h).toString(), "--"));
    command.addAll(java());
    command.addAll(List.of(HostBackendMain.class.getName(), h, Integer.toString(APP_PORT), "120"));
    ProcessBuilder pb = new ProcessBuilder(net.exec(host, command)).redirectErrorStream(true)
        .redirectOutput(agentLog(h).toFile());
    return spawn(pb);
  }

  private static void startClient() throws Exception {
    clientNodeId = "across-hosts-client-" + runId;
    Path bootstrap = dir.resolve("client-bootstrap.json");
    Files.writeString(bootstrap, "{\"xds_servers\":[{\"server_uri\":\"" + mesh.bindHost + ":" + mesh.xdsPort()
        + "\",\"channel_creds\":[{\"type\":\"tether-bearer\",\"config\":{\"token\":\"" + Mesh.AGENT_A + "\"}}],"
        + "\"server_features\":[\"xds_v3\"]}],\"node\":{\"id\":\"" + clientNodeId + "\",\"cluster\":\"client\","
        + "\"metadata\":{\"namespace\":\"a\"}}}");
    List<String> command = new ArrayList<>(java());
    command.addAll(List.of(ClientMain.class.getName(), SERVICE + ":" + ALIAS_PORT, "90", "10",
        Long.toString(CALL_DEADLINE_MS)));
    ProcessBuilder pb = new ProcessBuilder(net.exec(net.host("c"), command))
        .redirectError(dir.resolve("client.log").toFile());
    pb.environment().put("GRPC_XDS_BOOTSTRAP", bootstrap.toString());
    client = spawn(pb);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          String[] parts = line.split(" ", 2);
          if (parts.length == 2 && parts[0].matches("\\d+") && !parts[1].startsWith("DONE")) {
            calls.add(new Call(Long.parseLong(parts[0]), parts[1]));
          }
        }
      } catch (IOException e) {
        // the client is gone
      }
    }, "client-output");
    reader.setDaemon(true);
    reader.start();
  }

  private static List<String> java() {
    return java(JVM_FLAGS);
  }

  private static List<String> java(List<String> flags) {
    return TestProcesses.java(flags);
  }

  private static Process spawn(ProcessBuilder pb) throws Exception {
    return TestProcesses.spawn(pb);
  }

  private static Path agentLog(String h) {
    return dir.resolve("agent-" + h + ".log");
  }

  // --- observations ------------------------------------------------------------------------------------

  private static JsonNode endpoint(String h) {
    ApiClient.Response r = mesh.api.get("/v1/namespaces/a/services/" + SERVICE + "/endpoints/" + h + "-" + runId);
    return r.status() == 200 ? r.body() : null;
  }

  private static String health(String h) {
    JsonNode e = endpoint(h);
    return e == null ? "ABSENT" : e.path("health").asText("HEALTHY");
  }

  /** The EDS version the client ACKed last, as the control plane saw it (null: not connected yet). */
  private static String clientEdsVersion() {
    JsonNode stream = mesh.proxyStream(clientNodeId);
    if (stream == null || !stream.path("ackedVersions").hasNonNull("EDS")) {
      return null;
    }
    return stream.path("ackedVersions").path("EDS").asText();
  }

  private static List<Call> since(long epochMs) {
    return calls.stream().filter(c -> c.at() > epochMs).toList();
  }

  private static Call firstAnswer(String h, long sinceMs) {
    return since(sinceMs).stream().filter(c -> c.answer().equals(h)).findFirst().orElse(null);
  }

  /** Calls counted by answer, e.g. {@code {h1=40, h3=41, UNAVAILABLE=1}}. */
  private static String summary(List<Call> list) {
    return list.stream().collect(Collectors.groupingBy(Call::answer, java.util.TreeMap::new, Collectors.counting()))
        + " (" + list.size() + " calls)";
  }

  /** The failed calls among {@code list}, each with when it ended relative to {@code refMs}. */
  private static String failed(List<Call> list, long refMs) {
    return list.stream().filter(c -> !c.ok()).map(c -> c.answer() + "@" + (c.at() - refMs) + "ms").toList().toString();
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
