package io.tether.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import io.tether.main.TetherServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Outages of the control plane do not reach the data plane: clients keep calling on the config they
 * hold while the xDS server or etcd is down, and pick up changes once it is back.
 */
class RestartTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration OUTAGE = Duration.ofSeconds(2);

  @Test
  void proxylessClientKeepsCallingWhileTheXdsServerIsDownAndResyncsWithTheNextReplica() {
    int port = Ports.free();
    try (Mesh mesh = new Mesh(TestEtcd.shared().clientUrl(), TestEtcd.uniquePrefix(), port)) {
      mesh.service("a", "payments", 8080, "");
      mesh.register("a", "payments", mesh.backend("p1"), "HEALTHY");
      ManagedChannel channel = mesh.client("a", Mesh.AGENT_A).channel("payments:8080");
      Poll.until(WAIT, () -> "p1".equals(XdsClient.tryCall(channel, 2_000)), "the client reaches p1");

      try (CallLoop calls = new CallLoop(channel, 5, 2_000)) {
        mesh.stopServer();
        long down = System.nanoTime();
        assertThatThrownBy(() -> connect(port)).as("connecting to the stopped xDS server").isInstanceOf(IOException.class);
        Poll.until(WAIT, () -> System.nanoTime() - down > OUTAGE.toNanos() && calls.after(down).size() >= 100,
            "calls during the outage");
        assertThat(calls.failures()).as("failed calls while the xDS server was down").isEmpty();
        assertThat(calls.after(down)).allMatch(r -> r.answer().equals("p1"));
        int duringOutage = calls.after(down).size();

        TetherServer next = Mesh.startReplica(mesh.etcdUrl, mesh.prefix, port, "replica-2");
        try {
          long outageMs = (System.nanoTime() - down) / 1_000_000;
          ApiClient api = new ApiClient("http://127.0.0.1:" + next.registry().apiPort(), Mesh.ADMIN);
          EchoBackend p2 = mesh.backend("p2");
          api.put("/v1/namespaces/a/services/payments/endpoints/p2",
              "{\"address\":\"127.0.0.1\",\"port\":" + p2.port() + ",\"health\":\"HEALTHY\"}").expect(201);
          long registered = System.nanoTime();
          long resyncMs = Poll.until(Duration.ofSeconds(20), () -> calls.answeredSince("p2", registered),
              "the client reaches a backend registered with the new replica");
          assertThat(calls.failures()).as("failed calls over the whole restart").isEmpty();
          System.out.printf("xDS restart: outage %d ms with %d calls, all ok; new backend reached %d ms after "
              + "registration; %d calls in all, 0 failed%n", outageMs, duringOutage, resyncMs, calls.count());
        } finally {
          next.close();
        }
      }
    }
  }

  @Test
  void xdsKeepsServingThroughAnEtcdOutageAndCatchesUpAfterIt() {
    LocalEtcd etcd = TestEtcd.dedicated();
    try (Mesh mesh = new Mesh(etcd.clientUrl(), TestEtcd.uniquePrefix(), 0)) {
      mesh.service("a", "payments", 8080, "");
      mesh.service("b", "orders", 9090, "");
      mesh.register("a", "payments", mesh.backend("p1"), "HEALTHY");
      mesh.register("b", "orders", mesh.backend("o1"), "HEALTHY");
      ManagedChannel first = mesh.client("a", Mesh.AGENT_A).channel("payments:8080");
      Poll.until(WAIT, () -> "p1".equals(XdsClient.tryCall(first, 2_000)), "the first client reaches p1");

      try (CallLoop calls = new CallLoop(first, 5, 2_000)) {
        etcd.kill();
        long down = System.nanoTime();
        Poll.until(WAIT, () -> !mesh.server.registry().view().isReady(), "the replica notices etcd is gone");

        // New clients during the outage: one joining a group already served, one whose group is
        // rendered for the first time from the replica's last view of the registry.
        ManagedChannel second = mesh.client("a", Mesh.AGENT_A).channel("payments:8080");
        assertThat(XdsClient.call(second, 10_000)).isEqualTo("p1");
        ManagedChannel otherNamespace = mesh.client("b", Mesh.AGENT_B).channel("orders:9090");
        assertThat(XdsClient.call(otherNamespace, 10_000)).isEqualTo("o1");
        assertThat(etcd.isRunning()).as("etcd still down while the new clients resolved").isFalse();
        Poll.until(WAIT, () -> System.nanoTime() - down > OUTAGE.toNanos() && calls.after(down).size() >= 100,
            "calls during the outage");
        assertThat(calls.failures()).as("failed calls while etcd was down").isEmpty();
        assertThat(mesh.server.registry().view().isReady()).as("view ready without etcd").isFalse();
        long outageMs = (System.nanoTime() - down) / 1_000_000;

        etcd.start().awaitHealthy(Duration.ofSeconds(20));
        long back = System.nanoTime();
        EchoBackend p2 = mesh.backend("p2");
        Poll.until(Duration.ofSeconds(20), () -> {
          int s = mesh.api.put("/v1/namespaces/a/services/payments/endpoints/p2",
              "{\"address\":\"127.0.0.1\",\"port\":" + p2.port() + ",\"health\":\"HEALTHY\"}").status();
          return s == 200 || s == 201;
        }, "a registry write succeeds once etcd is back");
        long writeMs = (System.nanoTime() - back) / 1_000_000;
        long registered = System.nanoTime();
        long seenMs = Poll.until(Duration.ofSeconds(20), () -> calls.answeredSince("p2", registered),
            "the first client reaches the backend registered after the outage");
        Poll.until(WAIT, () -> "p2".equals(XdsClient.tryCall(second, 2_000)),
            "the client that connected during the outage reaches it too");
        assertThat(calls.failures()).as("failed calls over the etcd outage and recovery").isEmpty();
        System.out.printf("etcd restart: outage %d ms, all %d calls ok; write accepted %d ms after etcd was back; "
            + "clients saw it %d ms later%n", outageMs, calls.count(), writeMs, seenMs);
      }
    } finally {
      etcd.close();
    }
  }

  private static void connect(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
    }
  }
}
