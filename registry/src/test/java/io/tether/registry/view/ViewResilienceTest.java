package io.tether.registry.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.model.json.Json;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import io.tether.registry.store.Written;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry view against an etcd that dies and comes back, and against a compaction it fell behind. */
class ViewResilienceTest {
  private static LocalEtcd etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = TestEtcd.dedicated();
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  @Test
  void viewServesLastStateAndIsNotReadyWhileEtcdIsDownThenCatchesUpAfterRestart() throws Exception {
    try (TestRegistry reg = new TestRegistry(List.of(etcd.clientUrl()), TestEtcd.uniquePrefix())) {
      ApiClient admin = reg.admin();
      assertThat(admin.put("/v1/namespaces/shop", "{}").status()).isEqualTo(201);
      assertThat(admin.put("/v1/namespaces/shop/services/cart", "{\"portName\":\"http\"}").status()).isEqualTo(201);
      ApiClient.Response e1 = admin.put("/v1/namespaces/shop/services/cart/endpoints/e1", endpointJson("10.0.0.1"));
      assertThat(e1.status()).isEqualTo(201);
      RegistryView view = reg.server().view();
      // Writes answer on commit; the view follows within milliseconds.
      RegistryState before = view.awaitRevision(Long.parseLong(e1.etag().replace("\"", "")), Duration.ofSeconds(5)).get();
      assertThat(before.endpoints("shop", "cart")).containsOnlyKeys("e1");
      assertThat(admin.get("/readyz").status()).isEqualTo(200);

      etcd.kill();
      try {
        Poll.until(Duration.ofSeconds(10), () -> !view.isReady(), "view reports not ready after etcd was killed");
        ApiClient.Response readyz = admin.get("/readyz");
        assertThat(readyz.status()).as(readyz.toString()).isEqualTo(503);
        assertThat(readyz.body().path("ready").asBoolean()).isFalse();

        assertThat(view.current().revision()).isEqualTo(before.revision());
        assertThat(view.current().namespaces()).isSameAs(before.namespaces());
        ApiClient.Response list = admin.get("/v1/namespaces/shop/services/cart/endpoints");
        assertThat(list.status()).as("reads are served from the last state: " + list).isEqualTo(200);
        assertThat(list.body().path("items").get(0).path("id").asText()).isEqualTo("e1");

        long t0 = System.nanoTime();
        ApiClient.Response write = admin.put("/v1/namespaces/shop/services/cart/endpoints/e2", endpointJson("10.0.0.2"));
        assertThat(write.status()).as(write.toString()).isEqualTo(503);
        assertThat(write.errorCode()).isEqualTo("UNAVAILABLE");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("ms to fail the write").isLessThan(8_000);
        assertThat(view.isReady()).isFalse();
      } finally {
        etcd.start().awaitHealthy(Duration.ofSeconds(20));
      }

      Poll.until(Duration.ofSeconds(20), view::isReady, "view ready again after etcd restarted");
      assertThat(admin.get("/readyz").status()).isEqualTo(200);

      ApiClient.Response[] last = new ApiClient.Response[1];
      Poll.until(Duration.ofSeconds(15), () -> {
        last[0] = admin.put("/v1/namespaces/shop/services/cart/endpoints/e3", endpointJson("10.0.0.3"));
        return last[0].status() == 201;
      }, () -> "write after restart: " + last[0]);
      RegistryState after = view.awaitRevision(Long.parseLong(last[0].etag().replace("\"", "")), Duration.ofSeconds(5)).get();
      assertThat(after.endpoints("shop", "cart")).as("the failed write changed nothing").containsOnlyKeys("e1", "e3");

      // A write that bypasses the API reaches the view through the (re-established) watch.
      KeyLayout keys = reg.keys();
      reg.server().etcdClient().getKVClient()
          .put(keys.endpoint("shop", "cart", "e4"), KeyLayout.bytes(endpointJson("10.0.0.4")))
          .get(5, TimeUnit.SECONDS);
      Poll.until(Duration.ofSeconds(5), () -> view.current().endpoints("shop", "cart").containsKey("e4"),
          "direct etcd write seen by the view");
      assertThat(admin.get("/v1/namespaces/shop/services/cart/endpoints").body().path("items")).hasSize(3);
    }
  }

  @Test
  void viewBehindACompactionRelistsToEtcdsContentsInOneResyncWithTheExactChangesAndNoPartialState() throws Exception {
    KeyLayout keys = new KeyLayout(TestEtcd.uniquePrefix());
    try (Client client = EtcdClients.connect(List.of(etcd.clientUrl()));
        EtcdRegistryView view = new EtcdRegistryView(client, keys, Duration.ofMillis(200))) {
      RegistryStore store = new RegistryStore(client, keys, new SimpleMeterRegistry(), Duration.ofSeconds(5));
      List<RegistryUpdate> updates = new CopyOnWriteArrayList<>();
      view.addListener(updates::add);
      view.start().get(10, TimeUnit.SECONDS);

      // Followed through the watch: two namespaces, services whose VIP keys share their transaction.
      store.putNamespace(new Namespace("shop", null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
      store.putNamespace(new Namespace("other", null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
      for (int i = 0; i < 10; i++) {
        store.putService("shop", service("svc" + i, "svc" + i, "svc" + i + "-alt"), Precondition.NONE)
            .get(5, TimeUnit.SECONDS);
      }
      store.putService("shop", service("cart", "cart"), Precondition.NONE).get(5, TimeUnit.SECONDS);
      store.putService("other", service("keep", "keep"), Precondition.NONE).get(5, TimeUnit.SECONDS);
      store.putEndpoint("shop", "cart", "c1", endpoint("10.0.0.1"), Precondition.NONE).get(5, TimeUnit.SECONDS);
      Written followed = store.putEndpoint("other", "keep", "k1", endpoint("10.0.0.2"), Precondition.NONE)
          .get(5, TimeUnit.SECONDS);
      view.awaitRevision(followed.revision(), Duration.ofSeconds(5)).get();
      assertThat(updates).as("updates followed through the watch").allMatch(u -> !u.resync() || u.previous().revision() == 0);

      // The view stops following; etcd moves on and compacts past where the view stopped.
      long detachedAt = view.detachWatchForTest().get(5, TimeUnit.SECONDS);
      assertThat(detachedAt).isGreaterThanOrEqualTo(followed.revision());
      store.putService("shop", service("orders", "orders", "orders-alt"), Precondition.NONE).get(5, TimeUnit.SECONDS);
      store.deleteService("shop", "cart", Precondition.NONE).get(5, TimeUnit.SECONDS);
      store.putEndpoint("shop", "orders", "o1", endpoint("10.0.0.3"), Precondition.NONE).get(5, TimeUnit.SECONDS);
      Written last = store.putNamespace(new Namespace("tools", null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
      client.getKVClient().compact(last.revision(), CompactOption.builder().withCompactPhysical(true).build())
          .get(5, TimeUnit.SECONDS);
      assertThat(view.current().revision()).as("a detached view does not follow").isEqualTo(detachedAt);
      RegistryState stale = view.current();
      int seen = updates.size();

      // Resuming the watch where the view stopped hits the compaction: the view must re-list.
      view.resumeWatchForTest(detachedAt + 1);
      RegistryState caughtUp = view.awaitRevision(last.revision(), Duration.ofSeconds(10)).get();
      // Waiters complete just before listeners run, on the same thread.
      Poll.until(Duration.ofSeconds(2), () -> updates.size() > seen, "the re-list's update reaches the listener");

      List<RegistryUpdate> after = new ArrayList<>(updates.subList(seen, updates.size()));
      assertThat(after).as("updates after the compaction").hasSize(1);
      RegistryUpdate resync = after.get(0);
      assertThat(resync.resync()).isTrue();
      assertThat(resync.previous()).isSameAs(stale);
      assertThat(resync.current()).isSameAs(caughtUp);
      assertThat(resync.changes()).containsExactlyInAnyOrder(
          new RegistryChange.ServiceChanged("shop", "orders"),
          new RegistryChange.EndpointsChanged("shop", "orders"),
          new RegistryChange.ServiceChanged("shop", "cart"),
          new RegistryChange.EndpointsChanged("shop", "cart"),
          new RegistryChange.VipsChanged("shop"),
          new RegistryChange.NamespaceChanged("tools"));

      assertThat(caughtUp.service("shop", "cart")).isEmpty();
      assertThat(caughtUp.endpoints("shop", "orders")).containsOnlyKeys("o1");
      assertThat(caughtUp.vips("shop")).containsKeys("orders:80", "orders-alt:80").doesNotContainKey("cart:80");
      assertThat(caughtUp.namespace("tools")).isPresent();
      try (EtcdRegistryView fresh = new EtcdRegistryView(client, keys, Duration.ofMillis(200))) {
        RegistryState loaded = fresh.start().get(10, TimeUnit.SECONDS);
        assertThat(caughtUp.namespaces()).as("the re-listed view equals a fresh load of etcd").isEqualTo(loaded.namespaces());
      }

      // Following resumes after the re-list.
      Written next = store.putEndpoint("shop", "orders", "o2", endpoint("10.0.0.4"), Precondition.NONE)
          .get(5, TimeUnit.SECONDS);
      assertThat(view.awaitRevision(next.revision(), Duration.ofSeconds(5)).get().endpoints("shop", "orders"))
          .containsOnlyKeys("o1", "o2");

      // etcd batches events a watcher trails behind into one response, so a loaded machine can deliver the
      // followed writes in a few updates: at least the load, one followed, the re-list and one after it.
      assertThat(updates).as("loaded, followed, re-listed, followed again").hasSizeGreaterThanOrEqualTo(4);
      for (RegistryUpdate u : updates) {
        assertNoPartialService(u.current());
      }
    }
  }

  /** Every service's aliases have their VIPs, every VIP belongs to a service's alias, one VIP per service. */
  private static void assertNoPartialService(RegistryState s) {
    for (Map.Entry<String, NamespaceEntry> ns : s.namespaces().entrySet()) {
      Map<String, String> vips = ns.getValue().vips();
      List<String> aliases = new ArrayList<>();
      for (ServiceEntry svc : ns.getValue().services().values()) {
        if (svc.spec() == null) {
          continue;
        }
        List<String> own = svc.spec().value().clientAliases().stream().map(ClientAlias::hostPort).toList();
        aliases.addAll(own);
        assertThat(vips).as("state at revision %d: VIPs of %s", s.revision(), svc.spec().value().discoveryName())
            .containsKeys(own.toArray(String[]::new));
        assertThat(own.stream().map(vips::get).distinct()).as("one VIP per service").hasSizeLessThanOrEqualTo(1);
      }
      assertThat(aliases).as("state at revision %d: every VIP key has its service", s.revision())
          .containsExactlyInAnyOrderElementsOf(vips.keySet());
    }
  }

  private static ServiceSpec service(String name, String... aliases) {
    List<ClientAlias> list = new ArrayList<>();
    for (String a : aliases) {
      list.add(new ClientAlias(a, 80));
    }
    return new ServiceSpec(name, "http", AppProtocol.HTTP, list, null, ServicePolicy.EMPTY);
  }

  private static Endpoint endpoint(String address) {
    return new Endpoint(address, 15000, null, null, null, null, null, null);
  }

  private static String endpointJson(String address) {
    return Json.writeString(endpoint(address));
  }
}
