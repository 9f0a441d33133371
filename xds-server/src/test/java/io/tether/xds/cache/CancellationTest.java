package io.tether.xds.cache;

import static io.tether.xds.cache.CacheStream.names;
import static io.tether.xds.cache.Fixtures.GRPC;
import static io.tether.xds.cache.Fixtures.changed;
import static io.tether.xds.cache.Fixtures.cluster;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.AbstractWatch;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import io.envoyproxy.controlplane.cache.Watch;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Watches that end before they are answered: java-control-plane cancels a stream's watch of a type when
 * the stream's next request of that type arrives, on the stream's own thread, possibly while an update
 * is being answered on the publisher's.
 */
class CancellationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final TetherCache cache = new TetherCache();
  private final GroupSnapshot changedA = mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2"));

  @Test
  void aCancelledWatchStopsWaitingAtOnceAndIsNotAnswered() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    Watch watch = s.ack();
    assertThat(cache.waitingWatches(GRPC)).isEqualTo(1);

    watch.cancel();
    assertThat(cache.waitingWatches(GRPC)).isZero();
    cache.publish(GRPC, changedA, changed(ResourceType.CLUSTER, "a"));
    assertThat(s.responses).hasSize(1);
  }

  @Test
  void aCancelledDeltaWatchStopsWaitingAtOnceAndIsNotAnswered() {
    CacheStream s = new CacheStream(cache, GRPC, "n1", true);
    cache.publish(GRPC, mesh(), null);
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of(), Set.of(), true, "");
    DeltaWatch watch = s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1", "b", "1"), Set.of(), true, "d1");
    assertThat(cache.waitingWatches(GRPC)).isEqualTo(1);

    watch.cancel();
    assertThat(cache.waitingWatches(GRPC)).isZero();
    cache.publish(GRPC, changedA, changed(ResourceType.CLUSTER, "a"));
    assertThat(s.deltas).hasSize(1);
  }

  @Test
  void aWatchCancelledWhileAnUpdateIsAnsweredIsNotCountedAsSent() throws InterruptedException {
    CacheStream first = new CacheStream(cache, GRPC, "n1");
    CacheStream second = new CacheStream(cache, GRPC, "n2");
    cache.publish(GRPC, mesh(), null);
    first.request(V3.CLUSTER_TYPE_URL, "");
    first.ack();
    second.request(V3.CLUSTER_TYPE_URL, "");
    Thread cancelling = cancelDuringTheResponseTo(first, second.ack());

    cache.publish(GRPC, changedA, changed(ResourceType.CLUSTER, "a"));
    awaitEnd(cancelling);
    assertThat(first.responses).hasSize(2);
    assertThat(second.responses).hasSize(1);
    assertThat(cache.waitingWatches(GRPC)).isZero();

    second.ack(); // the request that cancelled its watch: it holds version 1 still, and is owed version 2
    assertThat(second.responses).hasSize(2);
    assertThat(names(second.last())).containsExactly("a", "b");
    assertThat(second.last().version()).isEqualTo(changedA.of(ResourceType.CLUSTER).version());
  }

  @Test
  void aDeltaWatchCancelledWhileAnUpdateIsAnsweredIsNotCountedAsSent() throws InterruptedException {
    CacheStream first = new CacheStream(cache, GRPC, "n1", true);
    CacheStream second = new CacheStream(cache, GRPC, "n2", true);
    cache.publish(GRPC, mesh(), null);
    Map<String, String> held = Map.of("a", "1", "b", "1");
    for (CacheStream s : new CacheStream[] {first, second}) {
      s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of(), Set.of(), true, "");
    }
    first.deltaRequest(V3.CLUSTER_TYPE_URL, held, Set.of(), true, "d1");
    Thread cancelling = cancelDuringTheResponseTo(first,
        second.deltaRequest(V3.CLUSTER_TYPE_URL, held, Set.of(), true, "d1"));

    cache.publish(GRPC, changedA, changed(ResourceType.CLUSTER, "a"));
    awaitEnd(cancelling);
    assertThat(second.deltas).hasSize(1);

    second.deltaRequest(V3.CLUSTER_TYPE_URL, held, Set.of(), true, "d1");
    assertThat(second.lastDelta().resources()).containsOnlyKeys("a");
    StreamStatus status = cache.status().get(1);
    assertThat(status.nodeId()).isEqualTo("n2");
    assertThat(status.ackedVersions()).as("it never received version 2")
        .containsEntry("CDS", mesh().of(ResourceType.CLUSTER).version());
  }

  /**
   * When {@code answered} is sent a response (on the publishing thread, holding the group's lock),
   * another thread cancels {@code watch}: its cancel takes effect at once, its clean-up waits for the
   * lock. Returns that thread.
   */
  private static Thread cancelDuringTheResponseTo(CacheStream answered, AbstractWatch<?, ?> watch) {
    Thread cancelling = new Thread(watch::cancel, "next-request");
    answered.onResponse = () -> {
      cancelling.start();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (!watch.isCancelled()) {
        assertThat(System.nanoTime()).as("cancelled in time").isLessThan(deadline);
        Thread.onSpinWait();
      }
    };
    return cancelling;
  }

  private static void awaitEnd(Thread t) throws InterruptedException {
    t.join(DEADLINE.toMillis());
    assertThat(t.isAlive()).as("the cancelling thread got the lock").isFalse();
  }
}
