package io.tether.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tether.model.Endpoint;
import io.tether.model.Health;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent's registry calls against the real registry, and its retry policy against scripted servers. */
class RegistryClientTest {
  private static final RegistryClient.Options QUICK = new RegistryClient.Options(Duration.ofMillis(500), 4,
      Duration.ofMillis(10), Duration.ofMillis(40));
  private static TestRegistry registry;
  private static ApiClient admin;
  private static RegistryClient agent;

  private HttpServer stub;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    admin = registry.admin();
    admin.put("/v1/namespaces/a", "{}").expect(201);
    admin.put("/v1/namespaces/b", "{}").expect(201);
    admin.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":"
        + "[{\"dnsName\":\"web\",\"port\":80},{\"dnsName\":\"web\",\"port\":8080}]}").expect(201);
    admin.put("/v1/namespaces/a/services/payments", "{\"portName\":\"http\",\"appProtocol\":\"grpc\",\"clientAliases\":"
        + "[{\"dnsName\":\"payments\",\"port\":8080},{\"dnsName\":\"pay.internal\",\"port\":443}]}").expect(201);
    admin.put("/v1/namespaces/a/services/worker", "{\"portName\":\"jobs\"}").expect(201);
    admin.put("/v1/namespaces/b/services/other", "{\"portName\":\"http\",\"clientAliases\":"
        + "[{\"dnsName\":\"other\",\"port\":80}]}").expect(201);
    agent = new RegistryClient(URI.create(registry.baseUrl()), TestRegistry.AGENT_A);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @AfterEach
  void stopStub() {
    if (stub != null) {
      stub.stop(0);
    }
  }

  @Test
  void aLeaseIsGrantedKeptAliveAndRevokedAndThenReportedGone() {
    RegistryClient.Lease lease = agent.grantLease("a", 5);
    assertThat(lease.id()).isPositive();
    assertThat(lease.ttlSeconds()).isGreaterThanOrEqualTo(5);

    assertThat(agent.keepAlive(lease.id())).isBetween(1L, lease.ttlSeconds());
    agent.revoke(lease.id());

    LeaseGoneException gone = catchThrowableOfType(() -> agent.keepAlive(lease.id()), LeaseGoneException.class);
    assertThat(gone.leaseId()).isEqualTo(lease.id());
    assertThat(gone.code()).isEqualTo("NOT_FOUND");
    agent.revoke(lease.id()); // already gone: no error
  }

  @Test
  void anEndpointIsRegisteredUnderItsLeaseUpdatedAndRemoved() {
    RegistryClient.Lease lease = agent.grantLease("a", 10);
    String path = "/v1/namespaces/a/services/web/endpoints/task-1";

    agent.registerEndpoint("a", "web", "task-1", new Endpoint("10.0.3.7", 15000, "onprem-a", Health.HEALTHY,
        "task-arn-1", "host-1", Map.of("version", "42"), lease.id()));

    JsonNode stored = admin.get(path).expect(200).body();
    assertThat(stored.path("address").asText()).isEqualTo("10.0.3.7");
    assertThat(stored.path("port").asInt()).isEqualTo(15000);
    assertThat(stored.path("zone").asText()).isEqualTo("onprem-a");
    assertThat(stored.path("taskId").asText()).isEqualTo("task-arn-1");
    assertThat(stored.path("host").asText()).isEqualTo("host-1");
    assertThat(stored.path("metadata").path("version").asText()).isEqualTo("42");
    assertThat(stored.path("leaseId").asLong()).isEqualTo(lease.id());

    agent.setHealth("a", "web", "task-1", Health.DRAINING);
    assertThat(admin.get(path).expect(200).body().path("health").asText()).isEqualTo("DRAINING");

    agent.deregister("a", "web", "task-1");
    admin.get(path).expect(404);
    agent.deregister("a", "web", "task-1"); // already gone: no error
    agent.revoke(lease.id());
  }

  @Test
  void registeringUnderALeaseThatIsGoneIsLeaseGone() {
    RegistryClient.Lease lease = agent.grantLease("a", 10);
    agent.revoke(lease.id());

    assertThatThrownBy(() -> agent.registerEndpoint("a", "web", "task-2",
        new Endpoint("10.0.3.8", 15000, null, null, null, null, null, lease.id())))
        .isInstanceOfSatisfying(LeaseGoneException.class, e -> assertThat(e.leaseId()).isEqualTo(lease.id()));
    admin.get("/v1/namespaces/a/services/web/endpoints/task-2").expect(404);
  }

  @Test
  void aBatchRegistersEveryEndpointOrNoneAndALeaseGoneIsNamed() {
    RegistryClient.Lease lease = agent.grantLease("a", 10);
    agent.registerEndpoints("a", List.of(
        new RegistryClient.BatchEntry("web", "batch-1", new Endpoint("10.0.4.1", 15000, null, null, null, null, null, lease.id())),
        new RegistryClient.BatchEntry("worker", "batch-1", new Endpoint("10.0.4.1", 15001, null, null, null, null, null, lease.id()))));
    assertThat(admin.get("/v1/namespaces/a/services/web/endpoints/batch-1").expect(200).body().path("leaseId").asLong())
        .isEqualTo(lease.id());
    assertThat(admin.get("/v1/namespaces/a/services/worker/endpoints/batch-1").expect(200).body().path("port").asInt())
        .isEqualTo(15001);

    RegistryClient.Lease gone = agent.grantLease("a", 10);
    agent.revoke(gone.id());
    assertThatThrownBy(() -> agent.registerEndpoints("a", List.of(
        new RegistryClient.BatchEntry("web", "batch-2", new Endpoint("10.0.4.2", 15000, null, null, null, null, null, lease.id())),
        new RegistryClient.BatchEntry("web", "batch-3", new Endpoint("10.0.4.3", 15000, null, null, null, null, null, gone.id())))))
        .isInstanceOfSatisfying(LeaseGoneException.class, e -> assertThat(e.leaseId()).isEqualTo(gone.id()));
    admin.get("/v1/namespaces/a/services/web/endpoints/batch-2").expect(404);
    agent.revoke(lease.id());
  }

  @Test
  void refusalsAreReportedWithTheServersCodeMessageAndField() {
    RegistryCallException denied = catchThrowableOfType(() -> agent.grantLease("b", 10), RegistryCallException.class);
    assertThat(denied).isNotInstanceOf(RegistryUnavailableException.class);
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.code()).isEqualTo("PERMISSION_DENIED");
    assertThat(denied.getMessage()).contains("grant a lease").contains("namespace 'b'");

    RegistryCallException invalid = catchThrowableOfType(() -> agent.grantLease("a", 1), RegistryCallException.class);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.field()).isEqualTo("ttlSeconds");

    RegistryCallException missing = catchThrowableOfType(
        () -> agent.setHealth("a", "web", "no-such-task", Health.UNHEALTHY), RegistryCallException.class);
    assertThat(missing).isNotInstanceOf(LeaseGoneException.class);
    assertThat(missing.isNotFound()).isTrue();
    assertThat(missing.code()).isEqualTo("NOT_FOUND");
  }

  @Test
  void aliasesMapEveryDnsNameOfTheNamespaceToItsVirtualIp() {
    Map<String, String> expected = new HashMap<>();
    for (JsonNode service : admin.get("/v1/namespaces/a/services").expect(200).body().path("items")) {
      service.path("clientAliases").forEach(a -> expected.put(a.path("dnsName").asText(), a.path("vip").asText()));
    }

    Map<String, String> aliases = agent.aliases("a");

    assertThat(aliases).containsOnlyKeys("web", "payments", "pay.internal").isEqualTo(expected);
    assertThat(aliases.values()).allMatch(ip -> ip.startsWith("127.255."));
    assertThat(aliases.get("payments")).as("one VIP per service").isEqualTo(aliases.get("pay.internal"))
        .isNotEqualTo(aliases.get("web"));
  }

  @Test
  void theEffectiveServiceCarriesTheHealthCheckPolicy() {
    assertThat(agent.service("a", "web", false).policy().healthCheck()).isNull();
    assertThat(agent.service("a", "web", true).policy().healthCheck())
        .isEqualTo(new io.tether.model.HealthCheck("http", "/healthz", 5, 2, 2, 3));
  }

  @Test
  void unavailableAnswersAreRetriedUntilOneSucceeds() throws IOException {
    List<String> seen = stub(n -> n <= 2 ? new Answer(503, "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"etcd\"}}")
        : new Answer(201, "{\"leaseId\":7,\"ttlSeconds\":10,\"namespace\":\"a\"}"));

    RegistryClient.Lease lease = stubClient().grantLease("a", 10);

    assertThat(lease).isEqualTo(new RegistryClient.Lease(7, 10));
    assertThat(seen).hasSize(3).allMatch(s -> s.equals("POST /v1/leases Bearer t0k3n"));
  }

  @Test
  void aClientErrorIsNotRetried() throws IOException {
    List<String> seen = stub(n -> new Answer(400,
        "{\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"port is wrong\",\"field\":\"port\"}}"));

    RegistryCallException e = catchThrowableOfType(() -> stubClient().setHealth("a", "web", "t", Health.HEALTHY),
        RegistryCallException.class);

    assertThat(seen).hasSize(1);
    assertThat(e.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(e.field()).isEqualTo("port");
    assertThat(e.getMessage()).contains("port is wrong");
  }

  @Test
  void retriesRunOutAsUnavailable() throws IOException {
    List<String> seen = stub(n -> new Answer(503, "not json, a proxy's page"));

    RegistryUnavailableException e = catchThrowableOfType(() -> stubClient().keepAlive(5), RegistryUnavailableException.class);

    assertThat(seen).hasSize(QUICK.attempts());
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.getMessage()).contains("keep lease 5 alive").contains("a proxy's page").contains("4 attempt");
  }

  @Test
  void anUnreachableOrSilentRegistryIsUnavailable() throws IOException {
    URI nothing = URI.create("http://127.0.0.1:" + Ports.free());
    RegistryUnavailableException refused = catchThrowableOfType(
        () -> new RegistryClient(nothing, "t0k3n", QUICK).aliases("a"), RegistryUnavailableException.class);
    assertThat(refused.status()).isZero();
    assertThat(refused.getMessage()).contains(nothing.toString()).contains("unreachable");

    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      RegistryClient.Options patient = new RegistryClient.Options(Duration.ofMillis(200), 2, Duration.ofMillis(10),
          Duration.ofMillis(10));
      RegistryClient client = new RegistryClient(URI.create("http://127.0.0.1:" + silent.getLocalPort()), "t", patient);
      assertThatThrownBy(() -> client.revoke(9)).isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("2 attempt");
    }
  }

  @Test
  void namesThatWouldChangeTheUrlAreRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> agent.deregister("a", "../leases", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> agent.aliases("a?x=1")).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- a scripted server ----

  private record Answer(int status, String body) {}

  /** Starts a server whose n-th answer (from 1) is script(n); returns "METHOD path authorization" per request seen. */
  private List<String> stub(IntFunction<Answer> script) throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger count = new AtomicInteger();
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Authorization"));
      Answer answer = script.apply(count.incrementAndGet());
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    stub.start();
    return seen;
  }

  private RegistryClient stubClient() {
    return new RegistryClient(URI.create("http://127.0.0.1:" + stub.getAddress().getPort() + "/"), "t0k3n", QUICK);
  }
}
