package io.tether.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.Ports;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The registry server against a three-member etcd cluster that loses its leader and gets it back. */
class ClusterTest {

  @Test
  void serverKeepsServingReadsAndWritesWhenTheLeaderOfThreeMembersDiesAndTheMemberRejoins() throws Exception {
    int[] clientPorts = {Ports.free(), Ports.free(), Ports.free()};
    int[] peerPorts = {Ports.free(), Ports.free(), Ports.free()};
    List<LocalEtcd> members = LocalEtcd.cluster(TestEtcd.tempDir("cluster"), clientPorts, peerPorts);
    try {
      members.forEach(LocalEtcd::start);
      members.forEach(m -> m.awaitHealthy(Duration.ofSeconds(30)));
      String prefix = TestEtcd.uniquePrefix();
      try (TestRegistry reg = new TestRegistry(members.stream().map(LocalEtcd::clientUrl).toList(), prefix)) {
        ApiClient admin = reg.admin();
        assertThat(admin.put("/v1/namespaces/prod", "{}").status()).isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/prod/services/payments", "{\"portName\":\"http\"}").status()).isEqualTo(201);
        assertThat(admin.put("/v1/namespaces/prod/services/payments/endpoints/e0", endpoint(0)).status()).isEqualTo(201);

        LocalEtcd leader = members.get(leaderIndex(members));
        leader.kill();
        long killedAt = System.nanoTime();

        // Reads are served from the view without interruption.
        ApiClient.Response read = admin.get("/v1/namespaces/prod/services/payments/endpoints");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().path("items")).hasSize(1);
        assertThat(admin.get("/v1/namespaces/prod/services/payments").status()).isEqualTo(200);

        // Writes may fail while the two survivors elect a leader, then succeed within ~5 s.
        ApiClient.Response[] first = new ApiClient.Response[1];
        Poll.until(Duration.ofSeconds(15), () -> {
          first[0] = admin.put("/v1/namespaces/prod/services/payments/endpoints/e1", endpoint(1));
          return first[0].status() == 201;
        }, () -> "first write after the leader died: " + first[0]);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt))
            .as("ms from killing the leader to the first successful write").isLessThan(5_500);

        for (int i = 2; i <= 10; i++) {
          ApiClient.Response ep = admin.put("/v1/namespaces/prod/services/payments/endpoints/e" + i, endpoint(i));
          assertThat(ep.status()).as("endpoint write %d with a member down: %s", i, ep).isEqualTo(201);
          ApiClient.Response svc = admin.put("/v1/namespaces/prod/services/svc" + i,
              "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"svc" + i + "\",\"port\":80}]}");
          assertThat(svc.status()).as("service write %d with a member down: %s", i, svc).isEqualTo(201);
          assertThat(svc.body().path("discoveryName").asText()).as("the write's response carries the stored spec")
              .isEqualTo("svc" + i);
        }
        assertThat(admin.get("/v1/namespaces/prod/services/payments/endpoints").body().path("items")).hasSize(11);
        assertThat(admin.get("/v1/namespaces/prod/services").body().path("items")).hasSize(10);
        Poll.until(Duration.ofSeconds(10), () -> admin.get("/readyz").status() == 200, "ready with one member down");

        // The member comes back and catches up with what was written while it was down.
        leader.start().awaitHealthy(Duration.ofSeconds(30));
        try (Client only = EtcdClients.connect(List.of(leader.clientUrl()))) {
          Poll.until(Duration.ofSeconds(10), () -> count(only, reg.keys().endpointsOf("prod", "payments")) == 11,
              "the rejoined member serves the writes it missed");
        }
        ApiClient.Response after = admin.put("/v1/namespaces/prod/services/payments/endpoints/e11", endpoint(11));
        assertThat(after.status()).as(after.toString()).isEqualTo(201);
        assertThat(admin.get("/v1/namespaces/prod/services/payments/endpoints").body().path("items"))
            .as("a read after a write sees it").hasSize(12);
      }
    } finally {
      members.forEach(LocalEtcd::close);
    }
  }

  private static int leaderIndex(List<LocalEtcd> members) throws Exception {
    for (int i = 0; i < members.size(); i++) {
      try (Client c = EtcdClients.connect(List.of(members.get(i).clientUrl()))) {
        StatusResponse s = c.getMaintenanceClient().statusMember(members.get(i).clientUrl()).get(5, TimeUnit.SECONDS);
        if (s.getLeader() == s.getHeader().getMemberId()) {
          return i;
        }
      }
    }
    throw new AssertionError("no member says it is the leader");
  }

  private static long count(Client client, io.etcd.jetcd.ByteSequence prefix) {
    try {
      return client.getKVClient().get(prefix, GetOption.builder().isPrefix(true).withCountOnly(true).build())
          .get(2, TimeUnit.SECONDS).getCount();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String endpoint(int i) {
    return "{\"address\":\"10.0.0." + (i + 1) + "\",\"port\":15000}";
  }
}
