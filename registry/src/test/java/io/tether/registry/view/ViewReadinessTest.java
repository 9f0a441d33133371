package io.tether.registry.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.etcd.LocalEtcd;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.TestEtcd;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows etcd, not a probe's luck. etcd is paused with SIGSTOP: its connection stays open
 * and every answer comes late, as from a box too busy to answer within the probe's timeout. A
 * silence shorter than {@link EtcdRegistryView#UNREACHABLE_AFTER} never flips readiness; a longer one
 * is reported within {@link EtcdRegistryView#NOT_READY_WITHIN}, and readiness returns once etcd
 * answers. (etcd killed outright, connection closed: {@code ViewResilienceTest}.)
 */
class ViewReadinessTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static LocalEtcd etcd;

  @BeforeAll
  static void startEtcd() {
    etcd = TestEtcd.dedicated();
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  /** A readiness change and when it happened, in ms after the test's pause began. */
  private record Change(boolean ready, String reason, long atMs) {}

  @Test
  void etcdAnsweringLateForLessThanTheThresholdNeverFlipsReadiness() throws Exception {
    KeyLayout keys = new KeyLayout(TestEtcd.uniquePrefix());
    try (Client client = EtcdClients.connect(List.of(etcd.clientUrl()));
        EtcdRegistryView view = new EtcdRegistryView(client, keys, EtcdRegistryView.PROBE_INTERVAL)) {
      List<Change> changes = startReadyAndRecord(view);
      long pausedAt = System.nanoTime();

      signal("STOP");
      try {
        // Paused until probes have timed out: one was enough to flip readiness before.
        Poll.until(EtcdRegistryView.UNREACHABLE_AFTER, () -> view.failedProbesForTest() >= 2,
            () -> "two probes failed; failed: " + view.failedProbesForTest());
      } finally {
        signal("CONT");
      }
      long pausedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt);
      assertThat(pausedMs).as("ms paused").isLessThan(EtcdRegistryView.UNREACHABLE_AFTER.toMillis());

      // Later positive events: a write after the pause reaches the view through its watch, and a probe
      // is answered again. Had readiness flipped in between, the listener would have it by now.
      long revision = client.getKVClient().put(keys.namespace("after"), KeyLayout.bytes("{}")).get(5, TimeUnit.SECONDS)
          .getHeader().getRevision();
      view.awaitRevision(revision, WAIT).get();
      Poll.until(WAIT, () -> view.failedProbesForTest() == 0, "a probe answered after the pause");
      assertThat(changes).as("readiness changes during and after a %d ms pause", pausedMs).isEmpty();
      assertThat(view.isReady()).isTrue();
    }
  }

  @Test
  void etcdSilentPastTheThresholdIsReportedWithinTheBoundAndReadyAgainWhenItAnswers() throws Exception {
    KeyLayout keys = new KeyLayout(TestEtcd.uniquePrefix());
    try (Client client = EtcdClients.connect(List.of(etcd.clientUrl()));
        EtcdRegistryView view = new EtcdRegistryView(client, keys, EtcdRegistryView.PROBE_INTERVAL)) {
      List<Change> changes = startReadyAndRecord(view);
      long pausedAt = System.nanoTime();

      signal("STOP");
      try {
        Poll.until(EtcdRegistryView.NOT_READY_WITHIN, () -> !view.isReady(), "not ready while etcd is silent");
      } finally {
        signal("CONT");
      }
      Poll.until(WAIT, () -> changes.size() == 2, () -> "ready again once etcd answers: " + changes);
      assertThat(changes).extracting(Change::ready).containsExactly(false, true);
      Change down = changes.get(0);
      assertThat(down.reason()).isEqualTo("etcd unreachable");
      // Not before the threshold, less the time from etcd's last answer to the pause: about a probe
      // interval, doubled for scheduling slack.
      assertThat(down.atMs()).as("ms from the pause to not ready").isGreaterThanOrEqualTo(
          EtcdRegistryView.UNREACHABLE_AFTER.minus(EtcdRegistryView.PROBE_INTERVAL.multipliedBy(2)).toMillis());
      long revision = client.getKVClient().put(keys.namespace("after"), KeyLayout.bytes("{}")).get(5, TimeUnit.SECONDS)
          .getHeader().getRevision();
      assertThat(view.awaitRevision(revision, WAIT).get().namespace("after")).as("followed after the outage").isPresent();
    }
  }

  /**
   * Starts the view and waits until it is ready <em>and</em> its listeners were told so, so that the
   * first notification is not taken for a change; then records the changes from now on, with times in
   * ms from now.
   */
  private static List<Change> startReadyAndRecord(EtcdRegistryView view) throws Exception {
    AtomicLong since = new AtomicLong(System.nanoTime());
    List<Change> changes = record(view, since);
    view.start().get(10, TimeUnit.SECONDS);
    Poll.until(WAIT, () -> view.isReady() && !changes.isEmpty() && changes.get(changes.size() - 1).ready(),
        () -> "view ready and its listeners told: " + changes);
    changes.clear();
    since.set(System.nanoTime());
    return changes;
  }

  private static List<Change> record(EtcdRegistryView view, AtomicLong since) {
    List<Change> changes = new CopyOnWriteArrayList<>();
    view.addReadinessListener(r -> changes.add(new Change(r.ready(), r.reason(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since.get()))));
    return changes;
  }

  /** Sends a signal to the etcd process; SIGCONT is always sent after SIGSTOP, in a finally. */
  private static void signal(String sig) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(etcd.pid())).inheritIO().start();
    assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s etcd", sig).isTrue();
  }
}
