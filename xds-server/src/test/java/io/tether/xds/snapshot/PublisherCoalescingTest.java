package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.node.GroupKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A group that connects while registry updates wait to be merged is first served with them (the
 * merging itself: UpdateCoalescerTest). The interval is far longer than the test, so that what waits
 * does not depend on timing.
 */
class PublisherCoalescingTest extends PublisherFixture {
  private final Map<GroupKey, GroupSnapshot> firstServed = new ConcurrentHashMap<>();

  PublisherCoalescingTest() {
    super(Duration.ofHours(1));
    cache.addPublishListener(firstServed::putIfAbsent);
  }

  @Test
  void aGroupConnectingWhileUpdatesWaitIsFirstServedWithThem() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();

    view.putEndpoints("ns", "web", "10.0.0.2"); // after a quiet spell: applied at once, or merged with .3
    view.putEndpoints("ns", "web", "10.0.0.3"); // within the interval: waits
    connect(SIDECAR);
    publisher.awaitIdle();

    assertThat(assignment(firstServed.get(SIDECAR))).contains("10.0.0.3");
    assertThat(assignment(served(GRPC))).as("the waiting update reached the connected group too")
        .contains("10.0.0.3");
    assertThat(published).as("the waiting update is published before the new group's first snapshot")
        .endsWith(GRPC, SIDECAR).containsOnlyOnce(SIDECAR);
  }

  @Test
  void aStreamJoiningAServedGroupHasTheWaitingUpdatesAppliedAtOnce() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();

    view.putEndpoints("ns", "web", "10.0.0.2");
    view.putEndpoints("ns", "web", "10.0.0.3");
    connect(GRPC); // a second stream of the group
    publisher.awaitIdle();

    assertThat(assignment(served(GRPC))).contains("10.0.0.3");
  }

  private static String assignment(GroupSnapshot snapshot) {
    return snapshot.of(ResourceType.ENDPOINT).resources().get(WEB).resource().toString();
  }
}
