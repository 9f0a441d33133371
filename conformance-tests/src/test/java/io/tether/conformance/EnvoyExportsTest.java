package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.agent.certs.CertificateFiles;
import io.tether.agent.certs.CertificateKeeper;
import io.tether.agent.registry.RegistryClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exports and imports between real Envoy sidecars in two namespaces (README "Exports and imports"):
 * {@code payments} of namespace {@code b} behind a server-only sidecar, and a caller's sidecar in {@code a}
 * (calling as {@code checkout}, over mutual TLS) with the import {@code pay} of it. Unexported, the caller's
 * Envoy has no cluster, listener or route of it, and a direct call to its ingress with a leaf of {@code a}
 * is refused by the namespace wall (403) while one of {@code b} is answered. Exported to {@code a}, 100 of
 * 100 calls by the alias are answered and the wall lets {@code a} in; withdrawn, the alias is gone and the
 * wall refuses {@code a} again.
 */
class EnvoyExportsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PAYMENTS = "/v1/namespaces/b/services/payments";
  private static final String ANSWER = "hello from payments";
  private static final int CALLS = 100;

  private final int ingress = Ports.free();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Mesh mesh;
  private HttpServer backend;
  private EnvoyProxy caller;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    Prerequisites.envoy();
    mesh = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), 0);
    closing.add(mesh);
    dir = Files.createTempDirectory("tether-exports");
    backend = HttpBackends.httpBackend(ANSWER);
    closing.add(() -> backend.stop(0));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void anUnexportedServiceIsInvisibleAndWalledAndAnExportedOneIsCallableByItsAlias() throws Exception {
    for (String ns : List.of("a", "b")) {
      mesh.api.put("/v1/namespaces/" + ns, "{}").expect(201);
    }
    mesh.api.put(PAYMENTS, payments("")).expect(201);
    closing.add(EnvoyProxy.startDrainingAsTheAgent(mesh.xdsPort(), Files.createDirectories(dir.resolve("payments")),
        Mesh.AGENT_B, Map.of("namespace", "b", "mode", "server-only", "services", List.of(Map.of(
            "discoveryName", "payments", "ingressPort", ingress, "appPort", backend.getAddress().getPort())))));
    mesh.api.put(PAYMENTS + "/endpoints/payments-1", "{\"address\":\"127.0.0.1\",\"port\":" + ingress
        + ",\"health\":\"HEALTHY\",\"metadata\":{\"tether.io/tls\":\"mesh\"}}").expect(201);
    mesh.api.put("/v1/namespaces/a/services/pay", "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"pay\","
        + "\"port\":9090}],\"importFrom\":{\"namespace\":\"b\",\"service\":\"payments\"}}").expect(201);
    caller = EnvoyProxy.startDrainingAsTheAgent(mesh.xdsPort(), Files.createDirectories(dir.resolve("checkout")),
        Map.of("identity", "checkout"));
    closing.add(caller);
    CertificateFiles fromA = leaf("a", Mesh.AGENT_A, "checkout");
    CertificateFiles fromB = leaf("b", Mesh.AGENT_B, "ledger");
    String url = "http://" + mesh.vip("a", "pay", 9090) + ":9090/";

    // Unexported: b's own namespace is answered directly, a's identity is walled off, a has no config of it.
    Poll.until(WAIT, () -> direct(fromB).equals(OptionalInt.of(200)), () -> "b's leaf at the ingress: " + direct(fromB));
    assertThat(direct(fromA)).as("a's leaf at b's ingress, unexported").isEqualTo(OptionalInt.of(403));
    assertThat(caller.admin("/config_dump")).doesNotContain("payments.b").doesNotContain("egress:pay:9090");
    assertThat(status(url)).as("the alias of a PENDING import has no listener").isEqualTo(-1);
    assertThat(importState()).isEqualTo("PENDING");

    // Exported to a: the import is ACTIVE and every call by the alias is answered.
    mesh.api.put(PAYMENTS, payments(",\"exports\":[\"a\"]")).expect(200);
    long exported = System.nanoTime();
    long acked = Poll.until(WAIT, () -> AckedVersions.serves(mesh, "a", caller.nodeId, ResourceType.CLUSTER, "payments.b")
        && AckedVersions.TYPES.keySet().stream().allMatch(t -> AckedVersions.ackedCurrent(mesh, "a", caller.nodeId, t)),
        () -> "a's Envoy ACKs the import's resources; proxies: " + mesh.proxyStream(caller.nodeId));
    assertThat(AckedVersions.nacks(mesh, caller.nodeId)).as("NACKs of a's Envoy").isZero();
    Poll.until(WAIT, () -> status(url) == 200, () -> "a call by the alias once exported: " + describe(url)
        + "\ncaller:\n" + caller.tail());
    long firstCall = (System.nanoTime() - exported) / 1_000_000;
    int answered = 0;
    for (int i = 0; i < CALLS; i++) {
      answered += EnvoyProxy.get(url).filter(r -> r.statusCode() == 200 && r.body().equals(ANSWER)).isPresent() ? 1 : 0;
    }
    System.out.printf("[EnvoyExportsTest] export -> CDS, EDS, LDS and RDS ACKed by a's Envoy: %d ms; first answered"
        + " call by the alias: %d ms; %d of %d answered%n", acked, firstCall, answered, CALLS);
    assertThat(answered).isEqualTo(CALLS);
    assertThat(caller.stat("cluster.payments.b.ssl.handshake")).as("over mutual TLS, as checkout of a").isPositive();
    assertThat(direct(fromA)).as("a's leaf at b's ingress, exported to a").isEqualTo(OptionalInt.of(200));
    assertThat(importState()).isEqualTo("ACTIVE");

    // Withdrawn: the alias is gone from a's Envoy and the wall refuses a again.
    mesh.api.put(PAYMENTS, payments("")).expect(200);
    long withdrawn = System.nanoTime();
    Poll.until(WAIT, () -> status(url) != 200 && direct(fromA).equals(OptionalInt.of(403)),
        () -> "after the export is withdrawn: " + describe(url) + ", direct " + direct(fromA));
    System.out.printf("[EnvoyExportsTest] export withdrawn -> alias gone and a walled off: %d ms%n",
        (System.nanoTime() - withdrawn) / 1_000_000);
    Poll.until(WAIT, () -> !caller.admin("/config_dump").contains("payments.b"), "payments.b left a's Envoy");
  }

  private static String payments(String exports) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"payments\","
        + "\"port\":8080}]" + exports + "}";
  }

  /** A mesh leaf for {@code identity} of {@code ns}, as an agent's certificate writer keeps it. */
  private CertificateFiles leaf(String ns, String token, String identity) throws Exception {
    CertificateFiles files = new CertificateFiles(dir.resolve("certs-" + ns));
    closing.add(new CertificateKeeper(new RegistryClient(URI.create(mesh.apiUrl()), token), files, ns, identity).start());
    return files;
  }

  private OptionalInt direct(CertificateFiles files) {
    return MeshIdentityGet.status(files, ingress);
  }

  private String importState() {
    return mesh.api.get("/v1/namespaces/a/services/pay?effective=true").expect(200).body().path("importState").asText();
  }

  private static int status(String url) {
    return EnvoyProxy.get(url).map(HttpResponse::statusCode).orElse(-1);
  }

  private static String describe(String url) {
    return EnvoyProxy.get(url).map(r -> r.statusCode() + " " + r.body()).orElse("no answer");
  }
}
