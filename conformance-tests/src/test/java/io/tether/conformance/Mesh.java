package io.tether.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.main.TetherServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import io.tether.xds.server.XdsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A Tether replica (registry + xDS) on a real etcd under a prefix of its own, real gRPC backends, and
 * helpers to register them: what every conformance test starts from.
 */
final class Mesh implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  static final String ADMIN = "conformance-admin-token";
  static final String AGENT_A = "conformance-agent-a-token";
  static final String AGENT_B = "conformance-agent-b-token";
  static final TokenAuthenticator TOKENS = TokenAuthenticator.of(List.of(
      new TokenFile.Entry("admin", ADMIN, Role.ADMIN, null),
      new TokenFile.Entry("agent-a", AGENT_A, Role.AGENT, "a"),
      new TokenFile.Entry("agent-b", AGENT_B, Role.AGENT, "b")));

  final String etcdUrl;
  final String prefix;
  /** Where this replica's registry API and xDS listen. */
  final String bindHost;
  /** Set by {@link #start}: at once for a Mesh made with a constructor, before the class for {@link #perClass}. */
  TetherServer server;
  ApiClient api;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  private final List<AutoCloseable> owned = new ArrayList<>();
  private boolean serverStopped;
  /** Where the replica's CA comes from; null: one in memory only. */
  private io.tether.xds.identity.CaOptions ca;
  /** The registry API's port: 0 (any) unless made {@link #restartable}, which keeps it across restarts. */
  private int apiPort;

  Mesh() {
    this(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), 0);
  }

  Mesh(String etcdUrl, String prefix, int xdsPort) {
    this(etcdUrl, prefix, "127.0.0.1", xdsPort);
  }

  /**
   * A replica whose registry API and xDS listen on {@code bindHost} (e.g. an address that test hosts in
   * network namespaces reach); etcd stays where it is.
   */
  Mesh(String bindHost) {
    this(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), bindHost, 0);
  }

  private Mesh(String etcdUrl, String prefix, String bindHost, int xdsPort) {
    this(etcdUrl, prefix, bindHost);
    start(xdsPort);
  }

  private Mesh(String etcdUrl, String prefix, String bindHost) {
    this.etcdUrl = etcdUrl;
    this.prefix = prefix;
    this.bindHost = bindHost;
  }

  /**
   * A mesh for one test class, as a JUnit extension: {@code @RegisterExtension static final Mesh mesh =
   * Mesh.perClass();} starts it before the class's tests and closes it after them.
   */
  static Mesh perClass() {
    return new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), "127.0.0.1");
  }

  /**
   * A replica on {@code bindHost} over {@code etcdUrl} whose API and xDS ports stay the same across
   * {@link #restartServer}, so that agents and Envoys configured with them reach its successor.
   */
  static Mesh restartable(String etcdUrl, String bindHost) {
    Mesh m = new Mesh(etcdUrl, TestEtcd.uniquePrefix(), bindHost);
    m.apiPort = io.tether.registry.testing.Ports.free();
    m.start(io.tether.registry.testing.Ports.free());
    return m;
  }

  /** Stops this replica and starts a new one on the same ports and etcd prefix, as a redeploy does. */
  void restartServer() {
    int xdsPort = xdsPort();
    server.close();
    start(xdsPort);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start(0);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** A mesh on the shared etcd whose CA comes from {@code ca} (docs/security.md "The CA"), started at once. */
  static Mesh withCa(io.tether.xds.identity.CaOptions ca) {
    Mesh m = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), "127.0.0.1");
    m.ca = ca;
    m.start(0);
    return m;
  }

  private void start(int xdsPort) {
    server = startReplica(etcdUrl, prefix, bindHost, apiPort, new XdsServer.Config(bindHost, xdsPort, TOKENS),
        "replica-1", ca);
    api = new ApiClient(apiUrl(), ADMIN);
  }

  static TetherServer startReplica(String etcdUrl, String prefix, int xdsPort, String replica) {
    return startReplica(etcdUrl, prefix, new XdsServer.Config("127.0.0.1", xdsPort, TOKENS), replica);
  }

  /** A replica with xDS settings of the caller's choosing (e.g. TLS). */
  static TetherServer startReplica(String etcdUrl, String prefix, XdsServer.Config xds, String replica) {
    return startReplica(etcdUrl, prefix, "127.0.0.1", 0, xds, replica);
  }

  private static TetherServer startReplica(String etcdUrl, String prefix, String apiHost, int apiPort,
      XdsServer.Config xds, String replica) {
    return startReplica(etcdUrl, prefix, apiHost, apiPort, xds, replica, null);
  }

  private static TetherServer startReplica(String etcdUrl, String prefix, String apiHost, int apiPort,
      XdsServer.Config xds, String replica, io.tether.xds.identity.CaOptions ca) {
    TetherServer s = new TetherServer(
        new RegistryServer.Config(List.of(etcdUrl), prefix, apiHost, apiPort, TOKENS, Duration.ofSeconds(5),
            io.tether.registry.api.HttpLimits.defaults()),
        xds, replica).ca(ca).start();
    Poll.until(Duration.ofSeconds(20), () -> s.registry().view().isReady(), "registry view ready");
    return s;
  }

  /** Stops this replica (registry API and xDS) as a crash or a redeploy would; backends and clients stay. */
  void stopServer() {
    serverStopped = true;
    server.close();
  }

  /**
   * Returns once this replica's registry view holds every write made through its API (the API's reads
   * wait for that), so a client connecting next is rendered the state the test just wrote.
   */
  void awaitView() {
    api.get("/v1/namespaces").expect(200);
  }

  /** The stream of a connected xDS client as GET /v1/proxies shows it, or null when it is not connected. */
  JsonNode proxyStream(String nodeId) {
    for (JsonNode item : api.get("/v1/proxies").expect(200).body().path("items")) {
      if (item.path("stream").path("nodeId").asText().equals(nodeId)) {
        return item.path("stream");
      }
    }
    return null;
  }

  /** The VIP the registry gave alias port {@code port} of service {@code svc}, or null when it has none. */
  String vip(String ns, String svc, int port) {
    for (JsonNode s : api.get("/v1/namespaces/" + ns + "/services").expect(200).body().path("items")) {
      if (s.path("discoveryName").asText().equals(svc)) {
        for (JsonNode a : s.path("clientAliases")) {
          if (a.path("port").asInt() == port) {
            return a.path("vip").asText(null);
          }
        }
      }
    }
    return null;
  }

  /** The registry API's base URL, on the bind host. */
  String apiUrl() {
    return "http://" + bindHost + ":" + server.registry().apiPort();
  }

  /**
   * The start of a {@code tether agent run} command line for namespace {@code ns} against this replica
   * ({@code java … AgentMain run --control-plane … --xds … --token-file … --namespace ns}): add the task's flags.
   */
  List<String> agentCommand(java.nio.file.Path tokenFile, String ns) {
    List<String> command = new ArrayList<>(TestProcesses.java(List.of()));
    command.addAll(List.of(io.tether.agent.AgentMain.class.getName(), "run", "--control-plane", apiUrl(),
        "--xds", bindHost + ":" + xdsPort(), "--token-file", tokenFile.toString(), "--namespace", ns));
    return command;
  }

  int xdsPort() {
    return server.xds().port();
  }

  /**
   * Namespace {@code a} and its HTTP service {@code web} (alias {@code web:8080}), whose tasks' apps are
   * checked with GET / every second, healthy at the first pass: the agents' tests see HEALTHY soon.
   */
  void webServiceCheckedEverySecond() {
    api.put("/v1/namespaces/a", "{}").expect(201);
    api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],\"healthCheck\":{\"protocol\":\"http\","
        + "\"path\":\"/\",\"intervalSeconds\":1,\"timeoutSeconds\":1,\"healthyThreshold\":1,\"unhealthyThreshold\":2}}")
        .expect(201);
  }

  /** Creates a namespace and a grpc service with one alias {@code name:port}; {@code policy} is extra JSON fields. */
  void service(String ns, String name, int port, String policy) {
    if (api.get("/v1/namespaces/" + ns).status() == 404) {
      api.put("/v1/namespaces/" + ns, "{}").expect(201);
    }
    String extra = policy == null || policy.isEmpty() ? "" : "," + policy;
    written(api.put("/v1/namespaces/" + ns + "/services/" + name, "{\"portName\":\"grpc\",\"appProtocol\":\"grpc\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":" + port + "}]" + extra + "}"));
  }

  EchoBackend backend(String name) {
    EchoBackend b = new EchoBackend(name, timer);
    owned.add(b);
    return b;
  }

  /** Registers a backend as an endpoint of a service (id = backend name). */
  void register(String ns, String svc, EchoBackend b, String health) {
    written(api.put("/v1/namespaces/" + ns + "/services/" + svc + "/endpoints/" + b.name,
        "{\"address\":\"127.0.0.1\",\"port\":" + b.port() + ",\"health\":\"" + health + "\"}"));
  }

  private static void written(ApiClient.Response r) {
    if (r.status() != 200 && r.status() != 201) {
      throw new AssertionError("registry write failed: " + r);
    }
  }

  void deregister(String ns, String svc, EchoBackend b) {
    api.delete("/v1/namespaces/" + ns + "/services/" + svc + "/endpoints/" + b.name).expect(204);
  }

  XdsClient client(String ns, String token) {
    XdsClient c = new XdsClient(xdsPort(), ns, token);
    owned.add(c);
    return c;
  }

  @Override
  public void close() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    if (!serverStopped && server != null) {
      server.close();
    }
    timer.shutdownNow();
  }
}
