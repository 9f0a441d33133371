package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tether.model.json.Json;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import io.tether.xds.identity.CaOptions;
import io.tether.xds.identity.MeshCa;
import io.tether.xds.render.TrustDomain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leaf rotation under load and the certificates a STRICT ingress refuses (docs/security.md "Certificates
 * over SDS"), between real Envoys: a server-only sidecar fronting {@code web} (http) and {@code db} (tcp),
 * both STRICT, and a caller's sidecar calling them as {@code checkout}, with leaves that live 10 s (the
 * shortest {@code --leaf-ttl}). The callee calls as {@code web}, its first service, and presents each
 * service's own leaf on that service's ingress (the caller verifies {@code db}'s SPIFFE ID when it calls
 * {@code db}). Both sidecars get two new leaves while a caller keeps calling: over a
 * kept-alive http connection and over a new tcp connection (so a new mutual TLS handshake) per call, and
 * no call fails. Then a client dialling {@code db}'s ingress with a leaf of the mesh CA is answered, and one
 * with an expired leaf of the same CA, or a leaf of a foreign CA for the same identity, is refused.
 */
class CertificateRotationTest {
  private static final Duration LEAF_TTL = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "/v1/namespaces/a";
  private static final String DOMAIN = "conformance.test";
  private static final String CALLEE = "spiffe://" + DOMAIN + "/ns/a/svc/web";
  private static final String DB = "spiffe://" + DOMAIN + "/ns/a/svc/db";
  private static final String CALLER = "spiffe://" + DOMAIN + "/ns/a/svc/checkout";
  /** Renewals each sidecar must go through while the load runs. */
  private static final int ROTATIONS = 2;
  /** The key of the leaves the test's own TLS client presents. */
  private static final KeyPair KEYS = MeshCa.ecKeyPair();

  private static final int webIngress = Ports.free();
  private static final int dbIngress = Ports.free();
  private static Mesh mesh;
  private static HttpServer backend;
  private static ServerSocket echo;
  private static EnvoyProxy callee;
  private static EnvoyProxy caller;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.envoy();
    Path dir = TestEtcd.tempDir("cert-rotation");
    mesh = Mesh.withCa(new CaOptions(new TrustDomain(DOMAIN), LEAF_TTL, null, null, dir.resolve("ca.key"), true));
    backend = HttpBackends.httpBackend("hello from web");
    echo = TcpEcho.start();
    mesh.api.put(NS, "{}").expect(201);
    mesh.api.put(NS + "/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\",\"tls\":{\"mode\":\"STRICT\"},"
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}]}").expect(201);
    mesh.api.put(NS + "/services/db", "{\"portName\":\"pg\",\"appProtocol\":\"tcp\",\"tls\":{\"mode\":\"STRICT\"},"
        + "\"clientAliases\":[{\"dnsName\":\"db\",\"port\":5432}]}").expect(201);
    callee = EnvoyProxy.startDrainingAsTheAgent(mesh.xdsPort(), Files.createDirectories(dir.resolve("callee")), Map.of(
        "mode", "server-only", "services", List.of(
            Map.of("discoveryName", "web", "ingressPort", webIngress, "appPort", backend.getAddress().getPort()),
            Map.of("discoveryName", "db", "ingressPort", dbIngress, "appPort", echo.getLocalPort()))));
    for (String[] endpoint : new String[][] {{"web", "web-1", "" + webIngress}, {"db", "db-1", "" + dbIngress}}) {
      mesh.api.put(NS + "/services/" + endpoint[0] + "/endpoints/" + endpoint[1], "{\"address\":\"127.0.0.1\",\"port\":"
          + endpoint[2] + ",\"health\":\"HEALTHY\",\"metadata\":{\"tether.io/tls\":\"mesh\"}}").expect(201);
    }
    caller = EnvoyProxy.startDrainingAsTheAgent(mesh.xdsPort(), Files.createDirectories(dir.resolve("caller")),
        Map.of("identity", "checkout"));
  }

  @AfterAll
  static void stop() throws IOException {
    for (EnvoyProxy e : new EnvoyProxy[] {caller, callee}) {
      if (e != null) {
        e.close();
      }
    }
    if (backend != null) {
      backend.stop(0);
    }
    if (echo != null) {
      echo.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void twoRotationsOfBothSidecarsLeavesUnderLoadFailNoCall() throws Exception {
    String web = "http://" + mesh.vip("a", "web", 8080) + ":8080/hello";
    String db = mesh.vip("a", "db", 5432);
    Poll.until(WAIT, () -> webAnswers(EnvoyProxy.get(web)), () -> "a mesh call to web: " + describe(EnvoyProxy.get(web))
        + "\ncaller:\n" + caller.tail() + "\ncallee:\n" + callee.tail());
    Poll.until(WAIT, () -> echoes(db), () -> "a mesh connection to db\ncaller:\n" + caller.tail());
    assertThat(leafSerial(callee, DB)).as("the callee presents db's own leaf on db's ingress").isNotEmpty();

    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicInteger httpCalls = new AtomicInteger();
    AtomicInteger tcpCalls = new AtomicInteger();
    List<Thread> load = List.of(
        loop("rotation-http", () -> webAnswers(EnvoyProxy.get(web)), httpCalls, failures, "http"),
        loop("rotation-tcp", () -> echoes(db), tcpCalls, failures, "tcp"));
    long handshakesBefore = caller.stat("cluster.db.a.ssl.handshake");
    List<String> callerLeaves = new ArrayList<>(List.of(leafSerial(caller, CALLER)));
    List<String> calleeLeaves = new ArrayList<>(List.of(leafSerial(callee, CALLEE)));
    load.forEach(Thread::start);
    try {
      Poll.until(LEAF_TTL.multipliedBy(ROTATIONS + 1), () -> {
        record(callerLeaves, leafSerial(caller, CALLER));
        record(calleeLeaves, leafSerial(callee, CALLEE));
        return callerLeaves.size() > ROTATIONS && calleeLeaves.size() > ROTATIONS;
      }, () -> ROTATIONS + " renewals of each sidecar's leaf; caller " + callerLeaves + ", callee " + calleeLeaves);
      int httpAtLast = httpCalls.get();
      int tcpAtLast = tcpCalls.get();
      Poll.until(WAIT, () -> httpCalls.get() > httpAtLast && tcpCalls.get() > tcpAtLast, "calls after the last renewal");
    } finally {
      load.forEach(Thread::interrupt);
      for (Thread t : load) {
        t.join(5_000);
      }
    }
    long handshakes = caller.stat("cluster.db.a.ssl.handshake") - handshakesBefore;
    System.out.println("[CertificateRotationTest] across " + ROTATIONS + " renewals of each leaf: " + httpCalls.get()
        + " http calls, " + tcpCalls.get() + " tcp connections (" + handshakes + " handshakes), " + failures.size()
        + " failed");
    assertThat(failures).as("failed calls across the renewals (%d http, %d tcp)", httpCalls.get(), tcpCalls.get())
        .isEmpty();
    assertThat(handshakes).as("each tcp connection was a new mutual TLS handshake").isGreaterThanOrEqualTo(tcpCalls.get());
  }

  @Test
  void theIngressAnswersALeafOfTheMeshCaAndRefusesAnExpiredOrForeignOne() throws Exception {
    MeshCa ca = mesh.server.xds().identities().issuer().ca();
    Instant now = Instant.now();
    Poll.until(WAIT, () -> {
      try {
        return echoesOverTls(dbIngress, ca, ca.issue(KEYS.getPublic(), CALLER, now.minusSeconds(60), Duration.ofHours(1)));
      } catch (IOException e) {
        return false; // the ingress is not up yet
      }
    }, () -> "a client with a leaf of the mesh CA is answered\ncallee:\n" + callee.tail());

    X509Certificate expired = ca.issue(KEYS.getPublic(), CALLER, now.minus(Duration.ofHours(2)), Duration.ofHours(1));
    MeshCa foreign = MeshCa.generate(DOMAIN, now);
    X509Certificate foreignLeaf = foreign.issue(KEYS.getPublic(), CALLER, now.minusSeconds(60), Duration.ofHours(1));
    long verifyErrors = verifyErrors();
    assertThatThrownBy(() -> echoesOverTls(dbIngress, ca, expired)).as("an expired leaf of the mesh CA")
        .isInstanceOf(IOException.class);
    Poll.until(WAIT, () -> verifyErrors() > verifyErrors, "the callee counts the expired leaf as a failed verification");
    long afterExpired = verifyErrors();
    assertThatThrownBy(() -> echoesOverTls(dbIngress, ca, foreignLeaf)).as("a leaf of a foreign CA")
        .isInstanceOf(IOException.class);
    Poll.until(WAIT, () -> verifyErrors() > afterExpired, "the callee counts the foreign leaf as a failed verification");
  }

  /**
   * Connects to {@code port} over TLS presenting {@code leaf} (for {@link #KEYS}), trusting {@code ca} for
   * the server's certificate, and echoes a line through the tcp_proxy; an {@link IOException} when refused.
   */
  private static boolean echoesOverTls(int port, MeshCa ca, X509Certificate leaf) throws IOException {
    try (SSLSocket s = (SSLSocket) presenting(ca, leaf).getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      byte[] answer = s.getInputStream().readNBytes(5);
      if (answer.length < 5) {
        throw new IOException("closed after " + answer.length + " bytes");
      }
      return "ping\n".equals(new String(answer, StandardCharsets.UTF_8));
    }
  }

  /** A TLS 1.3 client context presenting {@code leaf} for {@link #KEYS} and trusting {@code ca}. */
  private static SSLContext presenting(MeshCa ca, X509Certificate leaf) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("leaf", KEYS.getPrivate(), new char[0], new Certificate[] {leaf});
      KeyManagerFactory km = KeyManagerFactory.getInstance("SunX509"); // presents the leaf whatever its validity
      km.init(keys, new char[0]);
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      anchors.setCertificateEntry("ca", ca.trustAnchor());
      TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tm.init(anchors);
      SSLContext tls = SSLContext.getInstance("TLSv1.3");
      tls.init(km.getKeyManagers(), tm.getTrustManagers(), null);
      return tls;
    } catch (java.security.GeneralSecurityException | IOException e) {
      throw new AssertionError("a TLS client context", e);
    }
  }

  /** Envoy's failed peer verifications on the callee's listeners. */
  private static long verifyErrors() {
    return callee.admin("/stats?filter=ssl%5C.fail_verify_error").lines().filter(l -> l.contains(": "))
        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(": ") + 2).trim())).sum();
  }

  private static Thread loop(String name, java.util.function.BooleanSupplier call, AtomicInteger count,
      List<String> failures, String what) {
    return new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        boolean answered;
        try {
          answered = call.getAsBoolean();
        } catch (AssertionError e) {
          if (Thread.currentThread().isInterrupted()) {
            return; // EnvoyProxy.get, stopped in the middle of a call: the load is over
          }
          throw e;
        }
        if (answered) {
          count.incrementAndGet();
        } else if (!Thread.currentThread().isInterrupted()) {
          failures.add(what + " call " + (count.get() + 1) + " at " + Instant.now());
        }
      }
    }, name);
  }

  private static void record(List<String> serials, String serial) {
    if (!serial.isEmpty() && !serial.equals(serials.get(serials.size() - 1))) {
      serials.add(serial);
    }
  }

  /** The serial of the leaf for {@code spiffeId} that {@code envoy} holds, empty when none. */
  private static String leafSerial(EnvoyProxy envoy, String spiffeId) {
    try {
      for (JsonNode c : Json.MAPPER.readTree(envoy.admin("/certs")).path("certificates")) {
        for (JsonNode cert : c.path("cert_chain")) {
          if (spiffeId.equals(cert.path("subject_alt_names").path(0).path("uri").asText())) {
            return cert.path("serial_number").asText();
          }
        }
      }
      return "";
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean echoes(String host) {
    try {
      TcpEcho.roundTrip(host, 5432, "ping\n");
      return true;
    } catch (IOException | AssertionError e) {
      return false;
    }
  }

  private static boolean webAnswers(Optional<HttpResponse<String>> r) {
    return r.map(x -> x.statusCode() == 200 && x.body().contains("hello from web")).orElse(false);
  }

  private static String describe(Optional<HttpResponse<String>> r) {
    return r.map(x -> x.statusCode() + " " + x.body()).orElse("no answer");
  }
}
