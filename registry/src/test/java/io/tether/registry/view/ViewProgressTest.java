package io.tether.registry.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.registry.etcd.EtcdClients;
import io.tether.model.Endpoint;
import io.tether.model.Namespace;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.store.Precondition;
import io.tether.registry.store.RegistryStore;
import io.tether.registry.store.Written;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Progress notifications and the view's revision. etcd before 3.4.24/3.5.8 answers a progress request
 * at once with its current revision even while the watch is still catching up (etcd issue #15220); the
 * view must not take that as "nothing changed up to here", yet must stay ready on a shared etcd whose
 * revision moves under other prefixes.
 */
class ViewProgressTest {

  @Test
  void progressNotificationDuringCatchUpNeverLabelsAnOldStateWithANewerRevision() throws Exception {
    KeyLayout keys = new KeyLayout(TestEtcd.uniquePrefix());
    try (Client client = EtcdClients.connect(List.of(TestEtcd.shared().clientUrl()));
        EtcdRegistryView view = new EtcdRegistryView(client, keys, Duration.ofSeconds(30))) {
      RegistryStore store = new RegistryStore(client, keys, new SimpleMeterRegistry(), Duration.ofSeconds(5));
      view.start().get(10, TimeUnit.SECONDS);
      store.putNamespace(new Namespace("shop", null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
      Written svc = store.putService("shop", new ServiceSpec("cart", "http", null, List.of(), null,
          ServicePolicy.EMPTY), Precondition.NONE).get(5, TimeUnit.SECONDS);
      view.awaitRevision(svc.revision(), Duration.ofSeconds(5)).get();

      for (int round = 0; round < 5; round++) {
        long detachedAt = view.detachWatchForTest().get(5, TimeUnit.SECONDS);
        Written last = null;
        for (int i = 0; i < 20; i++) {
          last = store.putEndpoint("shop", "cart", "r" + round + "-" + i,
              new Endpoint("10.0." + round + "." + i, 15000, null, null, null, null, null, null), Precondition.NONE)
              .get(5, TimeUnit.SECONDS);
        }
        // The resumed watch starts behind etcd; ask for progress again and again while it catches up.
        view.resumeWatchForTest(detachedAt + 1);
        CompletableFuture<RegistryState> reached = view.awaitRevision(last.revision(), Duration.ofSeconds(10));
        Poll.until(Duration.ofSeconds(10), () -> {
          view.requestProgressForTest();
          return reached.isDone();
        }, "view reaches the last write's revision");
        RegistryState s = reached.get();
        assertThat(s.endpoints("shop", "cart"))
            .as("round %d: the state at revision %d holds every endpoint written up to %d", round, s.revision(),
                last.revision())
            .hasSize(20 * (round + 1));
      }
    }
  }

  @Test
  void writesOutsideThePrefixLeaveTheStateAloneAndTheViewReadyWithNoLag() throws Exception {
    KeyLayout keys = new KeyLayout(TestEtcd.uniquePrefix());
    KeyLayout foreign = new KeyLayout(TestEtcd.uniquePrefix());
    try (Client client = EtcdClients.connect(List.of(TestEtcd.shared().clientUrl()));
        EtcdRegistryView view = new EtcdRegistryView(client, keys, Duration.ofMillis(100))) {
      RegistryStore store = new RegistryStore(client, keys, new SimpleMeterRegistry(), Duration.ofSeconds(5));
      view.start().get(10, TimeUnit.SECONDS);
      Written ns = store.putNamespace(new Namespace("shop", null, null), Precondition.NONE).get(5, TimeUnit.SECONDS);
      RegistryState mine = view.awaitRevision(ns.revision(), Duration.ofSeconds(5)).get();
      // The namespace's own update may still be on its way to the listeners when awaitRevision completes:
      // it is the one update whose previous state predates the namespace; every later one is recorded.
      List<RegistryUpdate> updates = new CopyOnWriteArrayList<>();
      view.addListener(u -> {
        if (u.previous().revision() >= ns.revision()) {
          updates.add(u);
        }
      });

      for (int i = 0; i < 10; i++) {
        client.getKVClient().put(foreign.namespace("n" + i), KeyLayout.bytes("{}")).get(5, TimeUnit.SECONDS);
      }
      // The probe sees etcd's revision move; progress notifications confirm the watch is level with it.
      Poll.until(Duration.ofSeconds(5), () -> view.isReady() && view.revisionLag() == 0,
          () -> "view ready with no lag while etcd's revision moves under other prefixes; lag " + view.revisionLag());
      assertThat(view.current().namespaces()).as("content unchanged by foreign writes").isSameAs(mine.namespaces());
      assertThat(view.current().revision()).as("the state's revision moves only with its own keys").isEqualTo(ns.revision());
      assertThat(updates).as("no update for writes outside the prefix").isEmpty();
    }
  }
}
