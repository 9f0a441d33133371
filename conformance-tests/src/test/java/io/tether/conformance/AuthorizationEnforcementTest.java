package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may call whom, enforced between real Envoys on the caller's certificate identity
 * (docs/security.md "Authorization"): {@code web} has a DENY default; the caller's sidecar calls as
 * {@code checkout} (node metadata {@code identity}) over mutual TLS. Without a rule it is denied (403,
 * counted by the callee's Envoy and in its access log); a rule {@code checkout → web} lets it through;
 * deleting the rule denies it again within a second. The callee's sidecar is server-only, so every call
 * leaves through the caller's sidecar and carries its identity.
 */
class AuthorizationEnforcementTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "/v1/namespaces/a";
  private static final String RULE = NS + "/authorizations/checkout-to-web";
  /** What "within a second" allows: the deletion's answer to the first 403 the caller sees. */
  private static final Duration ENFORCEMENT = Duration.ofSeconds(1);

  private final int webIngress = Ports.free();
  private Mesh mesh;
  private HttpServer backend;
  private EnvoyProxy callee;
  private EnvoyProxy caller;
  private Path dir;

  @BeforeEach
  void start() throws IOException {
    Prerequisites.envoy();
    mesh = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), 0);
    dir = Files.createTempDirectory("tether-authz-enforcement");
    backend = HttpBackends.httpBackend("hello from web");
  }

  @AfterEach
  void stop() {
    for (EnvoyProxy e : new EnvoyProxy[] {caller, callee}) {
      if (e != null) {
        e.close();
      }
    }
    if (backend != null) {
      backend.stop(0);
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void aCallerIsDeniedWithoutARuleAllowedWithOneAndDeniedAgainWithinASecondOfItsDeletion() throws Exception {
    mesh.api.put(NS, "{}").expect(201);
    mesh.api.put(NS + "/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],\"tls\":{\"mode\":\"STRICT\"},"
        + "\"authorization\":{\"defaultAction\":\"DENY\"}}").expect(201);
    callee = EnvoyProxy.startDrainingAsTheAgent(mesh.xdsPort(), Files.createDirectories(dir.resolve("web")), Map.of(
        "mode", "server-only", "services", List.of(Map.of("discoveryName", "web", "ingressPort", webIngress,
            "appPort", backend.getAddress().getPort()))));
    mesh.api.put(NS + "/services/web/endpoints/web-1", "{\"address\":\"127.0.0.1\",\"port\":" + webIngress
        + ",\"health\":\"HEALTHY\",\"metadata\":{\"tether.io/tls\":\"mesh\"}}").expect(201);
    caller = EnvoyProxy.startDrainingAsTheAgent(mesh.xdsPort(), Files.createDirectories(dir.resolve("checkout")),
        Map.of("identity", "checkout"));
    String url = "http://" + mesh.vip("a", "web", 8080) + ":8080/pay";

    Poll.until(WAIT, () -> status(url) == 403, () -> "a rule-less caller is denied under a DENY default: "
        + describe(url) + "\ncaller:\n" + caller.tail() + "\ncallee:\n" + callee.tail());
    assertThat(caller.stat("cluster.web.a.ssl.handshake")).as("the call went over mutual TLS").isPositive();
    assertThat(callee.stat("http.ingress_web.rbac.denied")).as("the callee's Envoy counts the denial").isPositive();
    Poll.until(WAIT, () -> callee.tail().contains("\"response_code\":403") || callee.tail().contains(" 403 "),
        () -> "the 403 in the callee's access log:\n" + callee.tail());

    mesh.api.put(RULE, "{\"from\":\"checkout\",\"to\":\"web\"}").expect(201);
    Poll.until(WAIT, () -> status(url) == 200, () -> "allowed once the rule is written: " + describe(url));

    mesh.api.delete(RULE).expect(204);
    long deleted = System.nanoTime();
    Poll.until(WAIT, () -> status(url) == 403, () -> "denied again after the rule's deletion: " + describe(url));
    Duration toDenied = Duration.ofNanos(System.nanoTime() - deleted);
    System.out.println("[AuthorizationEnforcementTest] rule deleted -> caller denied: " + toDenied.toMillis() + " ms");
    assertThat(toDenied).as("deletion to enforcement").isLessThanOrEqualTo(ENFORCEMENT);
  }

  private static int status(String url) {
    return EnvoyProxy.get(url).map(HttpResponse::statusCode).orElse(-1);
  }

  private static String describe(String url) {
    Optional<HttpResponse<String>> r = EnvoyProxy.get(url);
    return r.map(x -> x.statusCode() + " " + x.body()).orElse("no answer");
  }
}
