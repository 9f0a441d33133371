package io.tether.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.hosts.HostsFile;
import io.tether.model.VipRange;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole host agent in this JVM, with a real control plane and a real Envoy, its VIP range the
 * registry's own (no route needed, so the host's routes are not touched; the route itself is {@link
 * HostLocalRouteTest}'s), a stand-in ECS agent, and a hosts file of the test's.
 */
class HostAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static HostControlPlane cp;
  private final Path dir = TestEtcd.tempDir("host-agent");
  private final Path hosts = dir.resolve("hosts");
  private EcsAgentStandIn ecs;
  private HostAgent agent;

  @BeforeAll
  static void startControlPlane() {
    cp = new HostControlPlane();
  }

  @AfterAll
  static void stopControlPlane() {
    cp.close();
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(hosts, "127.0.0.1\tlocalhost\n");
    ecs = new EcsAgentStandIn();
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    ecs.close();
  }

  private HostSettings settings(InetSocketAddress dns) {
    return new HostSettings(
        new HostSettings.ControlPlane(URI.create(cp.restUrl()), null, "127.0.0.1", cp.xdsPort(), null, HostControlPlane.TOKEN),
        new HostSettings.Identity("a", "127.0.0.1", "zone-1"),
        new HostSettings.Relay(List.of(InetAddress.getLoopbackAddress()), Relays.LOOPBACK, Ports.free(), Ports.free()),
        new HostSettings.Names(dns, VipRange.REGISTRY, hosts, Duration.ofMillis(100)),
        new HostSettings.Ecs(ecs.url(), Duration.ofMillis(100)),
        new HostSettings.Egress(Prerequisites.envoy(), Ports.free()),
        dir.resolve("work"));
  }


  @Test
  void itServesTheTasksOfItsHostAndStopsCleanly() throws Exception {
    HostSettings settings = settings(null);
    agent = new HostAgent(settings, LocalRoute.onThisHost(), NameServers.aliasDns());
    agent.start();
    ApiClient tasks = new ApiClient("http://127.0.0.1:" + settings.relay().apiPort(), null);

    ApiClient.Response host = tasks.get("/tether/host").expect(200);
    assertThat(host.body().toString()).isEqualTo("{\"namespace\":\"a\",\"address\":\"127.0.0.1\",\"zone\":\"zone-1\","
        + "\"xdsPort\":" + settings.relay().xdsPort() + "}");
    String node = agent.envoyNodeId();
    assertThat(node).matches("host-[A-Za-z0-9.-]+-[0-9a-f]{8}");
    Poll.until(WAIT, () -> cp.connected(node), "the egress envoy is connected to the control plane");
    assertThat(Files.readString(dir.resolve("work/egress-bootstrap.json"))).contains("\"vipRange\": \"127.255.0.0/16\"",
        "\"mode\": \"client-only\"");
    assertThat(agent.names()).containsEntry("web", cp.vip("web"));
    assertThat(new HostsFile(hosts).entries()).isEqualTo(agent.names());

    ecs.running("task-1");
    String lease = tasks.post("/v1/leases", "{\"ttlSeconds\":30,\"namespace\":\"a\"}").expect(201).body()
        .path("leaseId").asText();
    tasks.put("/v1/namespaces/a/services/web/endpoints/task-1", "{\"address\":\"127.0.0.1\",\"port\":35001,"
        + "\"leaseId\":\"" + lease + "\",\"metadata\":{\"ecsTaskArn\":\"arn:aws:ecs:eu-west-1:1:task/c/task-1\"}}").expect(201);
    ecs.forget("task-1");
    Poll.until(WAIT, () -> cp.endpoint("web", "task-1") == null, "the endpoint of the task ECS forgot is deleted");

    agent.close();

    assertThat(Files.readString(hosts)).isEqualTo("127.0.0.1\tlocalhost\n");
    assertThat(Files.exists(dir.resolve("work/egress-bootstrap.json"))).as("the bootstrap holds the token").isFalse();
    Poll.until(WAIT, () -> !cp.connected(node), "the egress envoy is gone");
    assertThat(listening(settings.relay().apiPort()) || listening(settings.relay().xdsPort())).isFalse();
  }

  @Test
  void theDnsServerIsGivenTheLiveAliasTable() throws Exception {
    AtomicReference<Supplier<Map<String, String>>> given = new AtomicReference<>();
    NameServer.Factory standIn = (listen, sources, names) -> {
      given.set(names);
      return new NameServer() {
        @Override
        public InetSocketAddress address() {
          return listen;
        }

        @Override
        public void close() {}
      };
    };
    agent = new HostAgent(settings(new InetSocketAddress("127.0.0.1", Ports.free())), LocalRoute.onThisHost(), standIn);
    agent.start();

    assertThat(given.get().get()).containsEntry("web", cp.vip("web"));
    cp.service("dns-late", Ports.free());
    Poll.until(WAIT, () -> given.get().get().containsKey("dns-late"), "the table the DNS server reads follows the registry");
  }

  @Test
  void aFailedStartUpLeavesNothingBehind() throws Exception {
    // The DNS server starts last: a port another process holds fails the start-up after everything else is up.
    try (java.net.DatagramSocket taken = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      HostSettings settings = settings(new InetSocketAddress("127.0.0.1", taken.getLocalPort()));
      agent = new HostAgent(settings, LocalRoute.onThisHost(), NameServers.aliasDns());

      assertThatThrownBy(agent::start).hasMessageContaining(Integer.toString(taken.getLocalPort()));
      agent.close();
      assertLeftNothing(settings);
    }
  }

  private void assertLeftNothing(HostSettings settings) throws Exception {
    assertThat(Files.readString(hosts)).isEqualTo("127.0.0.1\tlocalhost\n");
    assertThat(listening(settings.egress().adminPort())).as("the egress envoy's admin").isFalse();
    assertThat(listening(settings.relay().apiPort())).isFalse();
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
