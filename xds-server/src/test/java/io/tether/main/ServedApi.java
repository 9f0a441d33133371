package io.tether.main;

import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.server.XdsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One whole Tether replica (registry API with every route the xDS server adds) on a real etcd, with a
 * namespace, a service, an endpoint and a lease already in it: what the OpenAPI tests ask questions of.
 * Registered per class: {@code @RegisterExtension static final ServedApi api = new ServedApi();}.
 */
final class ServedApi implements BeforeAllCallback, AfterAllCallback {
  static final String ADMIN = "openapi-admin-token";
  static final String READER = "openapi-reader-token";
  static final String AGENT = "openapi-agent-token";
  static final String NS = "oa";
  static final String SVC = "web";
  /** An authorization rule of {@link #NS}, seeded so that the fuzz reaches past 404. */
  static final String RULE = "web-open";
  static final String ENDPOINT = "task-1";

  TetherServer server;
  ApiClient admin;
  /** A lease of {@link #NS}, granted for an hour, that {@link #ENDPOINT} hangs off. */
  String leaseId;
  /** Another lease of {@link #NS}, for a test to revoke. */
  String spareLeaseId;
  /** A managed reader token's id, for the token routes' reads. */
  String tokenId;

  @Override
  public void beforeAll(ExtensionContext context) {
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(
        new TokenFile.Entry("admin", ADMIN, Role.ADMIN, null),
        new TokenFile.Entry("reader", READER, Role.READER, null),
        new TokenFile.Entry("agent", AGENT, Role.AGENT, NS)));
    server = new TetherServer(new RegistryServer.Config(List.of(TestEtcd.shared().clientUrl()),
        TestEtcd.uniquePrefix(), "127.0.0.1", 0, tokens, Duration.ofSeconds(5), HttpLimits.defaults()),
        new XdsServer.Config("127.0.0.1", 0, tokens), "openapi-replica").start();
    Poll.until(Duration.ofSeconds(20), () -> server.registry().view().isReady(), "registry view ready");
    admin = new ApiClient(baseUrl(), ADMIN);
    seed();
  }

  private void seed() {
    admin.put("/v1/namespaces/" + NS, "{\"description\": \"OpenAPI tests\"}").expect(201);
    admin.put(servicePath(), "{\"portName\": \"http\", \"appProtocol\": \"http\","
        + " \"clientAliases\": [{\"dnsName\": \"web\", \"port\": 8080}]}").expect(201);
    admin.put("/v1/namespaces/" + NS + "/authorizations/" + RULE, "{\"from\": \"*\", \"to\": \"" + SVC + "\"}")
        .expect(201);
    leaseId = grantLease();
    spareLeaseId = grantLease();
    tokenId = admin.post("/v1/tokens", "{\"role\": \"reader\", \"name\": \"openapi\"}").expect(201).body().path("id").asText();
    admin.put(endpointPath(), "{\"address\": \"10.0.3.7\", \"port\": 15000, \"zone\": \"onprem-a\","
        + " \"leaseId\": \"" + leaseId + "\"}").expect(201);
  }

  private String grantLease() {
    return admin.post("/v1/leases", "{\"ttlSeconds\": 3600, \"namespace\": \"" + NS + "\"}")
        .expect(201).body().path("leaseId").asText();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.registry().apiPort();
  }

  static String servicePath() {
    return "/v1/namespaces/" + NS + "/services/" + SVC;
  }

  static String endpointPath() {
    return servicePath() + "/endpoints/" + ENDPOINT;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }
}
