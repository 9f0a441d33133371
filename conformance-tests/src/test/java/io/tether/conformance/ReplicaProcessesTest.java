package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.main.TetherMain;
import io.tether.process.ChildJvm;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestChildren;
import io.tether.registry.testing.TestEtcd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@code tether server} processes on one etcd, an xDS client on each: each registers itself (one
 * with {@code --advertise-api}, one with the default), either lists both replicas' proxies and forwards
 * a proxy's config, and a replica that stops leaves the other's listing.
 */
class ReplicaProcessesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String ADMIN = "replica-processes-admin-token";
  private static final String AGENT = "replica-processes-agent-token";
  private final Path dir = TestEtcd.tempDir("replicas");
  private final String prefix = TestEtcd.uniquePrefix();
  private final List<Process> servers = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : servers) {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoServerProcessesListEachOthersProxiesAndAStoppedOneLeaves() throws Exception {
    Files.writeString(dir.resolve("tokens.json"), "{\"tokens\":[{\"name\":\"ops\",\"token\":\"" + ADMIN
        + "\",\"role\":\"ADMIN\"},{\"name\":\"a\",\"token\":\"" + AGENT + "\",\"role\":\"AGENT\",\"namespace\":\"a\"}]}");
    int api1 = Ports.free();
    int api2 = Ports.free();
    int xds1 = Ports.free();
    int xds2 = Ports.free();
    Process one = server("p1", api1, xds1, "--advertise-api", "http://localhost:" + api1);
    Process two = server("p2", api2, xds2);
    ApiClient first = new ApiClient("http://127.0.0.1:" + api1, ADMIN);
    ApiClient second = new ApiClient("http://127.0.0.1:" + api2, ADMIN);
    Poll.until(WAIT, () -> ready(first) && ready(second), () -> "both ready; logs:\n" + log("p1") + log("p2"));
    first.put("/v1/namespaces/a", "{}").expect(201);

    try (AdsProbe c1 = probe(xds1, "proc-1"); AdsProbe c2 = probe(xds2, "proc-2")) {
      subscribeAll(c1);
      subscribeAll(c2);
      Poll.until(Duration.ofSeconds(10), () -> nodes(first).containsAll(List.of("proc-1@p1", "proc-2@p2"))
          && nodes(second).containsAll(List.of("proc-1@p1", "proc-2@p2")), () -> "both replicas list both: "
          + first.get("/v1/proxies").body());
      JsonNode replicas = first.get("/v1/status").expect(200).body().path("replicas");
      assertThat(replicas.toString()).contains("\"id\":\"p1\",\"apiUrl\":\"http://localhost:" + api1 + "\"")
          .as("the default: the API's bind address").contains("\"id\":\"p2\",\"apiUrl\":\"http://127.0.0.1:" + api2 + "\"");
      assertThat(second.get("/v1/proxies/a/proc-1/config").expect(200).body().path("replica").asText()).isEqualTo("p1");

      two.destroy();
      assertThat(two.waitFor(20, TimeUnit.SECONDS)).isTrue();
      Poll.until(Duration.ofSeconds(10), () -> {
        JsonNode body = first.get("/v1/proxies").body();
        return !nodes(first).contains("proc-2@p2") && body.path("unreachableReplicas").isEmpty()
            && !body.path("replicas").findValuesAsText("id").contains("p2");
      }, () -> "p2 has left p1's listing: " + first.get("/v1/proxies").body());
    }
  }

  @Test
  void anAdvertisedApiThatIsNoHttpUrlIsAUsageError() throws Exception {
    Process bad = server("bad", Ports.free(), Ports.free(), "--advertise-api", "ftp://10.0.0.5:8700");
    assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(log("bad")).contains("--advertise-api must be an http:// or https:// URL");
  }

  private Process server(String id, int apiPort, int xdsPort, String... extra) throws IOException {
    Path caKey = dir.resolve("ca-encryption.key"); // one for every replica: they share the CA in etcd
    if (!Files.exists(caKey)) {
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      Files.writeString(caKey, java.util.Base64.getEncoder().encodeToString(key));
    }
    List<String> command = new ArrayList<>(ChildJvm.main(TetherMain.class));
    command.addAll(List.of("server",
        "--etcd", TestEtcd.shared().clientUrl(), "--etcd-prefix", prefix, "--tokens-file", dir.resolve("tokens.json").toString(),
        "--ca-key-encryption-key-file", caKey.toString(), "--replica-id", id, "--api-host", "127.0.0.1", "--api-port", Integer.toString(apiPort),
        "--xds-host", "127.0.0.1", "--xds-port", Integer.toString(xdsPort), "--shutdown-grace", "1"));
    command.addAll(List.of(extra));
    Process p = TestChildren.start(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(id + ".log").toFile()));
    servers.add(p);
    return p;
  }

  private static List<String> nodes(ApiClient api) {
    List<String> out = new ArrayList<>();
    api.get("/v1/proxies").body().path("items").forEach(i ->
        out.add(i.path("stream").path("nodeId").asText() + "@" + i.path("replica").asText()));
    return out;
  }

  private static AdsProbe probe(int port, String node) {
    return new AdsProbe(port, AGENT, XdsMessages.node(node, AdsProbe.ENVOY, XdsMessages.metadata("a")));
  }

  /** Listeners and clusters: the full-state types, answered even in an empty namespace. */
  private static void subscribeAll(AdsProbe probe) {
    probe.subscribeAndAckAll(Map.of(AdsProbe.LDS, List.of(), AdsProbe.CDS, List.of()), Duration.ofSeconds(10));
  }

  private static boolean ready(ApiClient api) {
    try {
      return api.get("/readyz").status() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String log(String id) {
    try {
      return Files.readString(dir.resolve(id + ".log"));
    } catch (IOException e) {
      return "(no log of " + id + ")";
    }
  }
}
