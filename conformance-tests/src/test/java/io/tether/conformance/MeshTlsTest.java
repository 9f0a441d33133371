package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.HealthTrace;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.Prerequisites;
import io.tether.registry.testing.TestEtcd;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mutual TLS between real Envoys (docs/security.md "mutual TLS: tls.mode"): a {@code tether agent run}
 * task serving {@code a/web} (its endpoint marked {@code tether.io/tls: mesh}) and a caller's sidecar.
 * PERMISSIVE takes both the caller's mutual TLS and a plaintext client dialling the ingress port; a
 * switch to STRICT under a caller's steady load loses no mesh call, and from then on the plaintext
 * client is refused while mesh calls go on. Needs the SDS secrets of the mesh CA (docs/security.md
 * "Certificates over SDS") and a real Envoy ({@code ENVOY_BIN}).
 */
class MeshTlsTest {
  @RegisterExtension
  static final Mesh mesh = Mesh.perClass();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TASK = "tls-1";
  private static final String HANDSHAKES = "cluster.web.a.ssl.handshake";
  /** Mesh calls that must succeed after the switch was seen in effect: enough to span Envoy's listener drain. */
  private static final int CALLS_AFTER_SWITCH = 50;

  private final Path dir = TestEtcd.tempDir("mesh-tls");
  private final int appPort = Ports.free();
  private final int ingressPort = Ports.free();
  private final int adminPort = Ports.free();
  private Process agent;
  private EnvoyProxy caller;

  @AfterEach
  void stop() throws Exception {
    if (caller != null) {
      caller.close();
    }
    if (agent != null) {
      TestProcesses.killWithChildren(agent);
    }
  }

  @Test
  void permissiveToStrictUnderLoadLosesNoMeshCallAndThenRefusesPlaintext() throws Exception {
    Prerequisites.envoy();
    mesh.api.put("/v1/namespaces/a", "{}");
    putWeb("PERMISSIVE");
    agent = TestProcesses.spawn(new ProcessBuilder(EnvoyAgents.webTask(mesh, dir, TASK, appPort, ingressPort, adminPort))
        .redirectOutput(dir.resolve("agent.stdout").toFile()).redirectError(dir.resolve("agent.stderr").toFile()));
    new HealthTrace(mesh.api, "a", "web", TASK).until("HEALTHY", Duration.ofSeconds(60));
    assertThat(mesh.api.get("/v1/namespaces/a/services/web/endpoints/" + TASK).body()
        .at("/metadata/tether.io~1tls").asText()).as("the agent marks its Envoy-fronted endpoint").isEqualTo("mesh");
    Path callerDir = Files.createDirectories(dir.resolve("caller"));
    caller = EnvoyProxy.start(mesh, callerDir);
    String viaMesh = "http://" + mesh.vip("a", "web", 8080) + ":8080/hello";
    String direct = "http://127.0.0.1:" + ingressPort + "/hello";

    Poll.until(WAIT, () -> answeredByTask(EnvoyProxy.get(viaMesh)), () -> "a mesh call reaches the task; last: "
        + describe(EnvoyProxy.get(viaMesh)) + "\ncaller:\n" + caller.tail() + "\nagent:\n" + tail("agent.stderr"));
    // On loopback both sidecars bind the alias's VIP (SO_REUSEPORT): a call may leave through either.
    assertThat(caller.stat(HANDSHAKES) + taskEnvoyStat(HANDSHAKES)).as("a sidecar spoke TLS to the task's ingress")
        .isPositive();
    assertThat(answeredByTask(EnvoyProxy.get(direct))).as("PERMISSIVE: plaintext straight to the ingress port")
        .isTrue();

    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Thread load = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        Optional<HttpResponse<String>> r = EnvoyProxy.get(viaMesh);
        if (answeredByTask(r)) {
          ok.incrementAndGet();
        } else {
          failures.add(describe(r));
        }
      }
    }, "mesh-tls-load");
    load.start();
    try {
      Poll.until(WAIT, () -> ok.get() >= 20, "the load runs");
      putWeb("STRICT");
      Poll.until(WAIT, () -> EnvoyProxy.get(direct).isEmpty(), () -> "STRICT refuses plaintext at the handshake; "
          + "last: " + describe(EnvoyProxy.get(direct)));
      int atSwitch = ok.get();
      Poll.until(WAIT, () -> ok.get() >= atSwitch + CALLS_AFTER_SWITCH, "mesh calls go on under STRICT");
    } finally {
      load.interrupt();
      load.join(5_000);
    }
    System.out.println("[MeshTlsTest] mesh calls across the switch: " + ok.get() + " succeeded, " + failures.size()
        + " failed");
    assertThat(failures).as("failed mesh calls across the switch (%d succeeded)", ok.get()).isEmpty();
    assertThat(EnvoyProxy.get(direct)).as("still refused").isEmpty();
  }

  /** A counter of the task's own Envoy (its agent's admin port), 0 when it has none of that name. */
  private long taskEnvoyStat(String name) {
    return EnvoyProxy.get("http://127.0.0.1:" + adminPort + "/stats?filter=" + name.replace(".", "%5C.")).map(r -> r.body()
        .lines().filter(l -> l.startsWith(name + ": ")).mapToLong(l -> Long.parseLong(l.substring(name.length() + 2).trim()))
        .sum()).orElse(0L);
  }

  private static void putWeb(String mode) {
    mesh.api.put("/v1/namespaces/a/services/web", "{\"portName\":\"http\",\"appProtocol\":\"http\","
        + "\"clientAliases\":[{\"dnsName\":\"web\",\"port\":8080}],\"tls\":{\"mode\":\"" + mode + "\"},"
        + "\"healthCheck\":{\"protocol\":\"http\",\"path\":\"/\",\"intervalSeconds\":1,\"timeoutSeconds\":1,"
        + "\"healthyThreshold\":1,\"unhealthyThreshold\":2}}");
  }

  private static boolean answeredByTask(Optional<HttpResponse<String>> r) {
    return r.map(x -> x.statusCode() == 200 && x.body().contains(TASK)).orElse(false);
  }

  private static String describe(Optional<HttpResponse<String>> r) {
    return r.map(x -> x.statusCode() + " " + x.body()).orElse("no answer");
  }

  private String tail(String file) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(file));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (java.io.IOException e) {
      return "(cannot read " + file + ")";
    }
  }
}
