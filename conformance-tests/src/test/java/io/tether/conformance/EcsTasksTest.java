package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ECS tasks in the mesh end to end, on emulated ECS Anywhere instances ({@link EcsFleet}): the task
 * definitions are inject's output, the tasks run beside a real {@code tether agent host} on each host,
 * their sidecars are the real task agent and a real Envoy. On {@code ea}, a bridge-mode caller task calls
 * {@code http://web:8080/} (DNS from the host agent, the host's egress Envoy on a re-based VIP) and
 * {@code http://late:8080/}, a service created only later; a host-mode caller task calls
 * {@code http://api:8080/} (the host's /etc/hosts, bind-mounted). {@code web} runs in bridge mode and
 * {@code api} in host mode, one task each on {@code eb} and {@code ec}. The tests run in order: the stops
 * and the kill come last. Each prints the windows it measured; {@code runweb}, served by {@code tether agent
 * run} on {@code eb} and {@code ec} in the same run, gives the same figures for agent run tasks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcsTasksTest {
  private static final Duration START = Duration.ofSeconds(120);
  private static final String WEB = """
      {"family":"web","networkMode":"bridge","containerDefinitions":[{"name":"app","image":"example/web:1",
       "essential":true,"memory":128,"portMappings":[{"containerPort":8081,"protocol":"tcp","name":"http",
       "appProtocol":"http"}]}]}""";
  private static final String LATE = WEB.replace("\"web\"", "\"late\"").replace("example/web", "example/late");
  private static final String API = """
      {"family":"api","networkMode":"host","containerDefinitions":[{"name":"app","image":"example/api:1",
       "essential":true,"memory":128,"portMappings":[{"containerPort":8091,"hostPort":8091,"protocol":"tcp",
       "name":"http","appProtocol":"http"}],"healthCheck":{"command":["CMD","bash","-c",
       "exec 3<>/dev/tcp/127.0.0.1/8091 && printf 'GET /health HTTP/1.0\\\\r\\\\n\\\\r\\\\n' >&3 && grep -q ok <&3"],
       "interval":1,"timeout":1,"retries":2}}]}""";
  private static final String BRIDGE_CALLER = """
      {"family":"caller","networkMode":"bridge","containerDefinitions":[
       {"name":"callweb","image":"example/caller:1","essential":true,"memory":128,
        "command":["http://web:8080/","100000000","40"]},
       {"name":"calllate","image":"example/caller:1","essential":true,"memory":128,
        "command":["http://late:8080/","100000000","200"]},
       {"name":"callrun","image":"example/caller:1","essential":true,"memory":128,
        "command":["http://runweb:8080/","100000000","40"]}]}""";
  private static final String HOST_CALLER = """
      {"family":"hostcaller","networkMode":"host","containerDefinitions":[
       {"name":"callapi","image":"example/caller:1","essential":true,"memory":128,
        "command":["http://api:8080/","100000000","40"]}]}""";

  private static EcsFleet fleet;
  private static final Map<String, String> webTasks = new TreeMap<>();
  private static final Map<String, String> apiTasks = new TreeMap<>();
  private static final Map<String, Process> agentRuns = new TreeMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    long start = System.currentTimeMillis();
    fleet = new EcsFleet();
    fleet.createService("web");
    fleet.createService("api");
    fleet.createService("runweb");
    long hostsUp = System.currentTimeMillis();
    for (String h : List.of("eb", "ec")) {
      agentRuns.put(h, fleet.startAgentRun(h));
      webTasks.put(h, fleet.ecs(h).runTask(EcsFleet.inject(WEB, "app:http:web")));
      apiTasks.put(h, fleet.ecs(h).runTask(EcsFleet.inject(API, "app:http:api")));
    }
    fleet.ecs("ea").runTask(EcsFleet.inject(BRIDGE_CALLER));
    fleet.ecs("ea").runTask(EcsFleet.inject(HOST_CALLER));
    for (String h : webTasks.keySet()) {
      String web = webTasks.get(h);
      String api = apiTasks.get(h);
      Poll.until(START, () -> "HEALTHY".equals(fleet.health("web", web)), () -> h + "'s web task HEALTHY; " + logs(h));
      Poll.until(START, () -> "HEALTHY".equals(fleet.health("api", api)), () -> h + "'s api task HEALTHY; " + logs(h));
    }
    long healthy = System.currentTimeMillis();
    for (String h : agentRuns.keySet()) {
      Poll.until(START, () -> "HEALTHY".equals(fleet.health("runweb", h)), () -> h + "'s agent run task HEALTHY");
    }
    long runHealthy = System.currentTimeMillis();
    Poll.until(START, () -> calls("callweb").stream().anyMatch(c -> !c.failed()), () -> "a first web call; " + logs("ea"));
    Poll.until(START, () -> calls("callrun").stream().anyMatch(c -> !c.failed()), () -> "a first runweb call");
    System.out.printf("EcsTasksTest: 3 hosts with ECS and host agents up in %d ms; 4 ECS tasks run -> all HEALTHY in %d ms, "
        + "-> first call answered across hosts in %d ms; 2 agent run tasks (the same run, started first) -> HEALTHY "
        + "in %d ms, -> first call in %d ms%n", hostsUp - start, healthy - hostsUp, firstAnswer("callweb", hostsUp) - hostsUp,
        runHealthy - hostsUp, firstAnswer("callrun", hostsUp) - hostsUp);
  }

  @AfterAll
  static void tearDown() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @Order(1)
  void aBridgeTaskRegistersAtItsHostsAddressAndDynamicHostPort() {
    for (String h : webTasks.keySet()) {
      JsonNode endpoint = fleet.endpoint("web", webTasks.get(h));
      JsonNode task = fleet.ecs(h).task(webTasks.get(h));
      assertThat(endpoint.path("address").asText()).as("the host's address, never a docker bridge IP")
          .isEqualTo(fleet.net.host(h).address());
      assertThat(endpoint.path("port").asInt()).as("the sidecar's dynamic host port").isGreaterThanOrEqualTo(32768)
          .isEqualTo(hostPort(task));
      assertThat(endpoint.path("metadata").path("ecsTaskArn").asText()).endsWith("/" + webTasks.get(h));
    }
  }

  @Test
  @Order(2)
  void aBridgeCallerReachesBothBridgeTasksByName() {
    assertSpread("callweb", "eb-web", "ec-web");
  }

  @Test
  @Order(3)
  void aHostModeCallerReachesBothHostModeTasksByName() {
    assertSpread("callapi", "eb-api", "ec-api");
  }

  @Test
  @Order(4)
  void aServiceCreatedLaterIsCalledByNameFromTheRunningTask() throws Exception {
    assertThat(calls("calllate")).as("late does not exist yet: its calls fail").isNotEmpty().allMatch(SteadyCaller.Call::failed);
    long created = System.currentTimeMillis();
    fleet.createService("late");
    String task = fleet.ecs("eb").runTask(EcsFleet.inject(LATE, "app:http:late"));
    Poll.until(START, () -> "HEALTHY".equals(fleet.health("late", task)), () -> "eb's late task HEALTHY; " + logs("eb"));
    long healthy = System.currentTimeMillis();
    Poll.until(Duration.ofSeconds(30), () -> answered("calllate", "eb-late", healthy), () -> "late answers; " + logs("ea"));
    System.out.printf("EcsTasksTest: a service created later: task HEALTHY %d ms after the service was created; "
        + "the already-running caller's first answer %d ms after that%n", healthy - created,
        firstAnswer("calllate", created) - healthy);
  }

  @Test
  @Order(5)
  void anEcsStopOfABridgeTaskUnderLoadFailsNoCall() {
    assertDrainedWithoutFailures("web", "callweb", webTasks.get("eb"), "eb-web", "ec-web");
  }

  @Test
  @Order(6)
  void anEcsStopOfAHostModeTaskUnderLoadFailsNoCall() {
    assertDrainedWithoutFailures("api", "callapi", apiTasks.get("eb"), "eb-api", "ec-api");
  }

  @Test
  @Order(7)
  void aKilledTaskLeavesTheRegistryWithinTheLeaseTtl() {
    String task = webTasks.get("ec");
    long killed = System.currentTimeMillis();
    fleet.ecs("ec").killTask(task);
    Poll.until(Duration.ofSeconds(5 + 3), () -> fleet.endpoint("web", task) == null, "ec's killed web task deregistered");
    System.out.printf("EcsTasksTest: a killed task left the registry %d ms after the kill (lease TTL 5 s)%n",
        System.currentTimeMillis() - killed);
  }

  @Test
  @Order(8)
  void anAgentRunTaskStoppedUnderLoadFailsNoCallForComparison() {
    long t0 = System.currentTimeMillis();
    agentRuns.get("eb").destroy(); // SIGTERM, as systemd stops it
    assertGoneWithoutFailures("runweb", "callrun", "eb", "eb-runweb", "ec-runweb", t0, "SIGTERM to agent run");
  }

  @Test
  @Order(9)
  void aKilledAgentRunTaskLeavesTheRegistryWithinItsLeaseTtl() {
    long killed = System.currentTimeMillis();
    agentRuns.get("ec").destroyForcibly();
    Poll.until(Duration.ofSeconds(5 + 3), () -> fleet.endpoint("runweb", "ec") == null, "ec's killed agent run task gone");
    System.out.printf("EcsTasksTest: a killed agent run task left the registry %d ms after the kill (lease TTL 5 s)%n",
        System.currentTimeMillis() - killed);
  }

  /**
   * An ECS StopTask of {@code taskId} while {@code caller} calls: DesiredStatus STOPPED and SIGTERM to the
   * app at once; the app serves on for its drain time; the endpoint goes DRAINING, callers stop sending,
   * the app exits and the endpoint goes; no call fails.
   */
  private static void assertDrainedWithoutFailures(String service, String caller, String taskId, String stopped,
      String other) {
    String host = stopped.substring(0, 2);
    long t0 = System.currentTimeMillis();
    fleet.ecs(host).stopTask(taskId);
    assertGoneWithoutFailures(service, caller, taskId, stopped, other, t0, "ECS stop, app serving "
        + EcsFleet.APP_DRAIN_MS + " ms after SIGTERM");
  }

  private static void assertGoneWithoutFailures(String service, String caller, String taskId, String stopped,
      String other, long t0, String how) {
    Poll.until(Duration.ofSeconds(10), () -> !"HEALTHY".equals(fleet.health(service, taskId)), "no longer HEALTHY");
    long draining = System.currentTimeMillis();
    Poll.until(Duration.ofSeconds(30), () -> fleet.endpoint(service, taskId) == null, "deregistered");
    long gone = System.currentTimeMillis();
    Poll.until(Duration.ofSeconds(30), () -> calls(caller).stream().filter(c -> c.epochMs() > gone).count() >= 25,
        "25 calls after the endpoint went");
    List<SteadyCaller.Call> window = calls(caller).stream().filter(c -> c.epochMs() >= t0).toList();
    long last = window.stream().filter(c -> c.answer().equals(stopped)).mapToLong(SteadyCaller.Call::epochMs).max()
        .orElse(t0);
    System.out.printf("EcsTasksTest: %s of %s: not HEALTHY after %d ms, last call answered by it after %d ms, "
        + "deregistered after %d ms; %d calls in the window, %d failed%n", how, stopped, draining - t0, last - t0,
        gone - t0, window.size(), SteadyCaller.failed(window));
    assertThat(SteadyCaller.failed(window)).as("failed calls: " + window.stream().filter(SteadyCaller.Call::failed)
        .toList()).isZero();
    assertThat(window.stream().filter(c -> c.epochMs() > gone)).as("after it went, only " + other + " answers")
        .isNotEmpty().allMatch(c -> c.answer().equals(other));
  }

  private static void assertSpread(String caller, String... answers) {
    long since = System.currentTimeMillis();
    Poll.until(Duration.ofSeconds(30), () -> calls(caller).stream().filter(c -> c.epochMs() >= since)
        .count() >= 40, () -> caller + " makes calls; " + logs("ea"));
    List<SteadyCaller.Call> window = calls(caller).stream().filter(c -> c.epochMs() >= since).toList();
    Map<String, Long> counts = new TreeMap<>();
    window.forEach(c -> counts.merge(c.answer(), 1L, Long::sum));
    System.out.printf("EcsTasksTest: %s's %d calls: %s%n", caller, window.size(), counts);
    assertThat(counts.keySet()).as("every call answered, by both tasks").containsExactlyInAnyOrder(answers);
  }

  /** What the caller container {@code name} on ea printed: one line per call, as the emulated Docker logs it. */
  private static List<SteadyCaller.Call> calls(String name) {
    List<SteadyCaller.Call> calls = new ArrayList<>();
    String prefix = "[" + name + "] ";
    for (String line : fleet.ecs("ea").logText().split("\n")) {
      if (line.startsWith(prefix)) {
        String[] parts = line.substring(prefix.length()).split(" ", 2);
        if (parts.length == 2 && parts[0].matches("\\d+")) {
          calls.add(new SteadyCaller.Call(Long.parseLong(parts[0]), parts[1]));
        }
      }
    }
    return calls;
  }

  private static boolean answered(String caller, String answer, long since) {
    return calls(caller).stream().anyMatch(c -> c.epochMs() >= since && c.answer().equals(answer));
  }

  private static long firstAnswer(String caller, long since) {
    return calls(caller).stream().filter(c -> c.epochMs() >= since && !c.failed())
        .mapToLong(SteadyCaller.Call::epochMs).min().orElse(-1);
  }

  /** The host port Docker gave the sidecar's ingress mapping, as the control API reports it. */
  private static int hostPort(JsonNode task) {
    for (JsonNode c : task.path("containers")) {
      if (c.path("name").asText().equals("tether-sidecar")) {
        return c.path("hostPorts").path(0).path("hostPort").asInt(-1);
      }
    }
    return -1;
  }

  private static String logs(String host) {
    String text = fleet.ecs(host).logText();
    return "\n--- " + host + " ECS log (tail) ---\n" + (text.length() > 3000 ? text.substring(text.length() - 3000) : text);
  }
}
