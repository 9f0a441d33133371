package io.tether.agent.ecs;

import io.tether.main.TetherServer;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import io.tether.xds.server.XdsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Tether replica for the task agent's tests, as a JUnit extension: the registry and the xDS
 * server on 127.0.0.1 over the shared test etcd (a prefix of its own), with the admin token and
 * namespace a's agent token ({@link TestRegistry}'s), and namespace {@code a} made.
 */
final class EcsMesh implements BeforeAllCallback, AfterAllCallback {
  private static final TokenAuthenticator TOKENS = TokenAuthenticator.of(List.of(
      new TokenFile.Entry("admin", TestRegistry.ADMIN, Role.ADMIN, null),
      new TokenFile.Entry("agent-a", TestRegistry.AGENT_A, Role.AGENT, "a")));

  private TetherServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()), TestEtcd.uniquePrefix(),
        "127.0.0.1", 0, TOKENS, Duration.ofSeconds(5), HttpLimits.defaults()),
        new XdsServer.Config("127.0.0.1", 0, TOKENS), "replica-1").start();
    Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
    admin().put("/v1/namespaces/a", "{}").expect(201);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  String restApi() {
    return "http://127.0.0.1:" + server.registry().apiPort();
  }

  String xds() {
    return "127.0.0.1:" + server.xds().port();
  }

  ApiClient admin() {
    return new ApiClient(restApi(), TestRegistry.ADMIN);
  }

  /**
   * An http service of namespace a whose health check policy is GET /healthz every second, healthy
   * after one pass, unhealthy after two failures (fast, so the tests are).
   */
  void httpService(String name) {
    admin().put("/v1/namespaces/a/services/" + name, "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"healthCheck\":{\"protocol\":\"http\",\"path\":\"/healthz\",\"intervalSeconds\":1,\"timeoutSeconds\":1,"
        + "\"healthyThreshold\":1,\"unhealthyThreshold\":2}}").expect(201);
  }
}
