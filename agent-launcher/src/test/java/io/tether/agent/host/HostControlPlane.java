package io.tether.agent.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.main.TetherServer;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.List;

/**
 * A real Tether replica (registry and xDS server) against the shared test etcd, under a prefix of its
 * own, with namespace {@code a} and its service {@code web} (one alias, {@code web:PORT}): what the host
 * agent relays to. The host's token is {@link TestRegistry#AGENT_A}, an agent token of {@code a}.
 */
final class HostControlPlane implements AutoCloseable {
  static final String TOKEN = TestRegistry.AGENT_A;
  static final TokenAuthenticator TOKENS = TokenAuthenticator.of(List.of(
      new TokenFile.Entry("admin", TestRegistry.ADMIN, Role.ADMIN, null),
      new TokenFile.Entry("agent-a", TestRegistry.AGENT_A, Role.AGENT, "a"),
      new TokenFile.Entry("agent-b", TestRegistry.AGENT_B, Role.AGENT, "b")));

  private final TetherServer server;
  private final ApiClient admin;
  /** The port of web's alias; a free one, so that Envoys of tests running beside these do not clash. */
  final int aliasPort = Ports.free();

  HostControlPlane() {
    server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()), TestEtcd.uniquePrefix(),
        "127.0.0.1", 0, TOKENS, Duration.ofSeconds(5), HttpLimits.defaults()),
        new io.tether.xds.server.XdsServer.Config("127.0.0.1", 0, TOKENS), "replica-1").start();
    Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
    admin = new ApiClient(restUrl(), TestRegistry.ADMIN);
    admin.put("/v1/namespaces/a", "{}").expect(201);
    service("web", aliasPort);
  }

  /** Creates (or replaces) an http service of namespace a with one alias {@code name:port}. */
  void service(String name, int port) {
    admin.put("/v1/namespaces/a/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":" + port + "}]}").expect(201);
  }

  String restUrl() {
    return "http://127.0.0.1:" + server.registry().apiPort();
  }

  int xdsPort() {
    return server.xds().port();
  }

  ApiClient admin() {
    return admin;
  }

  /** The VIP the registry gave the (one) alias of a service: only the services list carries VIPs. */
  String vip(String service) {
    for (JsonNode item : admin.get("/v1/namespaces/a/services").expect(200).body().path("items")) {
      if (item.path("discoveryName").asText().equals(service)) {
        return item.path("clientAliases").path(0).path("vip").asText(null);
      }
    }
    return null;
  }

  /** The endpoint as the registry holds it, or null when it has none. */
  JsonNode endpoint(String service, String id) {
    ApiClient.Response r = admin.get("/v1/namespaces/a/services/" + service + "/endpoints/" + id);
    return r.status() == 404 ? null : r.expect(200).body();
  }

  /** Whether the xDS server has a stream of this node open. */
  boolean connected(String nodeId) {
    for (JsonNode item : admin.get("/v1/proxies").expect(200).body().path("items")) {
      if (item.path("stream").path("nodeId").asText().equals(nodeId)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    server.close();
  }
}
