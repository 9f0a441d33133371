package io.tether.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.testbed.NetnsHosts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up of {@link AcrossHostsTest}, as a JUnit extension: a client namespace and three test hosts
 * (network namespaces, NetnsHosts), the control plane on the client's root-side address, and the
 * processes the test starts there: each host's {@code tether agent run --proxyless} beside a gRPC backend
 * answering its host's name, and a stock grpc-java xDS client ({@link ClientMain}) whose every call is
 * kept. Then what the test observes of them: the registry's endpoints, the EDS version the client ACKed,
 * the calls of a window. Skips the class, saying so, where test hosts cannot be made (root, iproute2).
 */
final class AcrossHosts implements BeforeAllCallback, AfterAllCallback {
  static final String TAG = "[AcrossHostsTest] ";
  static final int APP_PORT = 7070;
  static final int LEASE_TTL_S = 3;
  static final long CALL_DEADLINE_MS = 1_000;
  static final long DRAIN_MS = 1_000;
  static final String SERVICE = "echo";
  static final int ALIAS_PORT = 9090;
  /** Small, quick-starting JVMs: seven of them share two cores. */
  static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
  static final List<String> HOSTS = List.of("h1", "h2", "h3");

  NetnsHosts net;
  private Mesh mesh;
  private Path dir;
  private String runId;
  /** Each host's agent, by host name, once started. */
  final Map<String, Process> agents = new LinkedHashMap<>();
  Process client;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private String clientNodeId;

  /** One call the client made: when it ended (epoch ms) and who answered (or the status code, or HUNG). */
  record Call(long at, String answer) {
    boolean ok() {
      return HOSTS.contains(answer);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
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

  @Override
  public void afterAll(ExtensionContext context) {
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

  // --- processes -----------------------------------------------------------------------------------

  /** Starts {@code h}'s agent (with the JVM's defaults, as {@code tether agent run} starts it) and its backend. */
  void startAgent(String h) throws Exception {
    NetnsHosts.Host host = net.host(h);
    Path token = dir.resolve("agent-a.token");
    Files.writeString(token, Mesh.AGENT_A);
    List<String> command = mesh.agentCommand(token, "a");
    command.addAll(List.of("--service", SERVICE,
        "--app-port", Integer.toString(APP_PORT), "--address", host.address(), "--task-id", h + "-" + runId,
        "--health-check", "grpc", "--proxyless", "--lease-ttl", Integer.toString(LEASE_TTL_S),
        "--hosts-file", "none", "--drain-time", Long.toString(DRAIN_MS / 1_000), "--stop-grace", "3",
        "--work-dir", dir.resolve("work-" + h).toString(), "--"));
    command.addAll(TestProcesses.java(JVM_FLAGS));
    command.addAll(List.of(HostBackendMain.class.getName(), h, Integer.toString(APP_PORT), "120"));
    ProcessBuilder pb = new ProcessBuilder(net.exec(host, command)).redirectErrorStream(true)
        .redirectOutput(agentLog(h).toFile());
    agents.put(h, TestProcesses.spawn(pb));
  }

  /** Starts the client in namespace {@code c}, calling {@code xds:///echo:9090}; its calls are read as they come. */
  void startClient() throws Exception {
    clientNodeId = "across-hosts-client-" + runId;
    Path bootstrap = dir.resolve("client-bootstrap.json");
    Files.writeString(bootstrap, "{\"xds_servers\":[{\"server_uri\":\"" + mesh.bindHost + ":" + mesh.xdsPort()
        + "\",\"channel_creds\":[{\"type\":\"tether-bearer\",\"config\":{\"token\":\"" + Mesh.AGENT_A + "\"}}],"
        + "\"server_features\":[\"xds_v3\"]}],\"node\":{\"id\":\"" + clientNodeId + "\",\"cluster\":\"client\","
        + "\"metadata\":{\"namespace\":\"a\"}}}");
    List<String> command = new ArrayList<>(TestProcesses.java(JVM_FLAGS));
    command.addAll(List.of(ClientMain.class.getName(), SERVICE + ":" + ALIAS_PORT, "90", "10",
        Long.toString(CALL_DEADLINE_MS)));
    ProcessBuilder pb = new ProcessBuilder(net.exec(net.host("c"), command))
        .redirectError(clientLog().toFile());
    pb.environment().put("GRPC_XDS_BOOTSTRAP", bootstrap.toString());
    client = TestProcesses.spawn(pb);
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

  Path agentLog(String h) {
    return dir.resolve("agent-" + h + ".log");
  }

  Path clientLog() {
    return dir.resolve("client.log");
  }

  // --- observations ------------------------------------------------------------------------------------

  /** {@code h}'s endpoint as the registry API shows it, or null when it has none. */
  JsonNode endpoint(String h) {
    ApiClient.Response r = mesh.api.get("/v1/namespaces/a/services/" + SERVICE + "/endpoints/" + h + "-" + runId);
    return r.status() == 200 ? r.body() : null;
  }

  /** {@code h}'s endpoint's health, or ABSENT. */
  String health(String h) {
    JsonNode e = endpoint(h);
    return e == null ? "ABSENT" : e.path("health").asText("HEALTHY");
  }

  /** The EDS version the client ACKed last, as the control plane saw it (null: not connected yet). */
  String clientEdsVersion() {
    JsonNode stream = mesh.proxyStream(clientNodeId);
    if (stream == null || !stream.path("ackedVersions").hasNonNull("EDS")) {
      return null;
    }
    return stream.path("ackedVersions").path("EDS").asText();
  }

  /** The calls that ended after {@code epochMs}. */
  List<Call> since(long epochMs) {
    return calls.stream().filter(c -> c.at() > epochMs).toList();
  }

  /** The first call {@code h} answered after {@code sinceMs}, or null. */
  Call firstAnswer(String h, long sinceMs) {
    return since(sinceMs).stream().filter(c -> c.answer().equals(h)).findFirst().orElse(null);
  }

  /** Calls counted by answer, e.g. {@code {h1=40, h3=41, UNAVAILABLE=1}}. */
  static String summary(List<Call> list) {
    return list.stream().collect(Collectors.groupingBy(Call::answer, TreeMap::new, Collectors.counting()))
        + " (" + list.size() + " calls)";
  }

  /** The failed calls among {@code list}, each with when it ended relative to {@code refMs}. */
  static String failed(List<Call> list, long refMs) {
    return list.stream().filter(c -> !c.ok()).map(c -> c.answer() + "@" + (c.at() - refMs) + "ms").toList().toString();
  }

  /** The last 40 lines of {@code file}, for a failure's message. */
  static String tail(Path file) {
    try {
      List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** Prints the resident memory of h1's agent, of its app and of the client. */
  void printRss() {
    Process agent = agents.get("h1");
    String app = agent.toHandle().children().findFirst().map(p -> TestProcesses.rss(p.pid())).orElse("?");
    System.out.printf(TAG + "RSS beside one task (h1): agent %s (JVM defaults), its app (the gRPC backend) %s; "
        + "the client %s (both with %s)%n", TestProcesses.rss(agent.pid()), app, TestProcesses.rss(client.pid()),
        String.join(" ", JVM_FLAGS));
  }
}
