package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.micrometer.core.instrument.Timer;
import io.tether.registry.view.RegistryChange;
import io.tether.registry.view.RegistryState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The publisher in time: groups early (before the first load) and gone, late updates and re-lists, the
 * thread it publishes on and the time it takes.
 */
class PublisherLifecycleTest extends PublisherFixture {
  @Test
  void aGroupThatConnectsBeforeTheFirstLoadIsSentNothingUntilIt() throws Exception {
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();
    assertThat(cache.snapshot(GRPC)).isEmpty();
    assertThat(published).isEmpty();

    view.putService("ns", "web", "10.0.0.1");
    publisher.awaitIdle();
    assertThat(served(GRPC).of(ResourceType.CLUSTER).resources()).containsOnlyKeys(WEB);
    assertThat(published).containsExactly(GRPC);

    view.putService("other", "elsewhere", "10.9.0.1");
    publisher.awaitIdle();
    assertThat(published).as("rendered from the first load once, not at every update").containsExactly(GRPC);
  }

  @Test
  void aGroupThatWentAwayIsNoLongerRenderedUntilItComesBack() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    long stream = connect(GRPC);
    publisher.awaitIdle();
    assertThat(publisher.renderedNamespaces()).containsExactly("ns");
    cache.close(stream);

    view.putEndpoints("ns", "web", "10.0.0.9");
    publisher.awaitIdle();
    assertThat(published).containsExactly(GRPC);
    assertThat(publisher.renderedNamespaces()).as("no group needs ns: its renderings are dropped").isEmpty();

    connect(GRPC);
    publisher.awaitIdle();
    assertThat(published).containsExactly(GRPC, GRPC);
    assertThat(served(GRPC).of(ResourceType.ENDPOINT).resources().get(WEB).resource().toString())
        .contains("10.0.0.9");
  }

  @Test
  void updatesOfOtherNamespacesAndStaleUpdatesPublishNothing() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();
    RegistryState old = view.current();

    view.putService("other", "elsewhere", "10.9.0.1");
    view.replayStale(old, new RegistryChange.NamespaceChanged("ns"));
    publisher.awaitIdle();
    assertThat(published).containsExactly(GRPC);
  }

  @Test
  void aLateUpdateDoesNotRollTheSnapshotBack() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();
    RegistryState old = view.current();

    view.putEndpoints("ns", "web", "10.0.0.9");
    view.replayStale(old, new RegistryChange.EndpointsChanged("ns", "web"));
    publisher.awaitIdle();
    assertThat(assignmentOfWeb()).contains("10.0.0.9").doesNotContain("10.0.0.1");
  }

  @Test
  void aReListIsTheTruthWhateverItsRevision() throws Exception {
    // etcd restored from a backup: its revision goes back
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();
    RegistryState backup = view.current();
    view.putEndpoints("ns", "web", "10.0.0.9");

    view.restore(backup, new RegistryChange.EndpointsChanged("ns", "web"));
    publisher.awaitIdle();
    assertThat(assignmentOfWeb()).contains("10.0.0.1").doesNotContain("10.0.0.9");
  }

  @Test
  void publishingRunsOnOneDaemonThreadThatNeverHoldsTheProcessUp() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    List<Thread> threads = new CopyOnWriteArrayList<>();
    cache.addPublishListener((group, snapshot) -> threads.add(Thread.currentThread()));
    assertThat(publisher.start()).isSameAs(publisher);
    connect(GRPC);
    connect(SIDECAR);
    publisher.awaitIdle();
    assertThat(threads).hasSize(2).allSatisfy(t -> {
      assertThat(t.getName()).isEqualTo("tether-xds-publisher");
      assertThat(t.isDaemon()).isTrue();
    });
  }

  @Test
  void eachAppliedUpdateIsTimed() throws Exception {
    long started = System.nanoTime();
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();
    RegistryState old = view.current();
    view.putEndpoints("ns", "web", "10.0.0.2");
    view.putEndpoints("ns", "web", "10.0.0.3");
    view.replayStale(old, new RegistryChange.EndpointsChanged("ns", "web"));
    publisher.awaitIdle();

    Timer timer = meters.get("tether.xds.publish").timer();
    // The two writes are applied one by one, or as one when they fall within the publisher's minimum
    // interval (UpdateCoalescer); the late one is never applied on its own.
    assertThat(timer.count()).as("the writes applied, the late one skipped").isBetween(1L, 2L);
    assertThat(assignmentOfWeb()).contains("10.0.0.3");
    assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isLessThanOrEqualTo(System.nanoTime() - started);
  }

  private String assignmentOfWeb() {
    return served(GRPC).of(ResourceType.ENDPOINT).resources().get(WEB).resource().toString();
  }
}
