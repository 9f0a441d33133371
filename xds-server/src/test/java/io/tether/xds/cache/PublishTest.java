package io.tether.xds.cache;

import static io.tether.xds.cache.CacheStream.names;
import static io.tether.xds.cache.Fixtures.GRPC;
import static io.tether.xds.cache.Fixtures.assignment;
import static io.tether.xds.cache.Fixtures.changed;
import static io.tether.xds.cache.Fixtures.cluster;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a publish looks at: for a group's first snapshot every waiting watch; after that the watches of
 * the types said to have changed, and for assignments only the names said to have changed. And that
 * one watch is one response.
 */
class PublishTest {
  private final TetherCache cache = new TetherCache();
  /** Cluster a and assignment a at version 2. */
  private final GroupSnapshot next = mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2"))
      .with(ResourceType.ENDPOINT, "a", assignment("a", "2"));

  @Test
  void aGroupsFirstSnapshotAnswersEveryWaitingWatchWhateverItSaysChanged() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    s.request(V3.CLUSTER_TYPE_URL, "");
    cache.publish(GRPC, mesh(), changed(ResourceType.ENDPOINT, "a"));
    assertThat(names(s.last())).containsExactly("a", "b");
  }

  @Test
  void onlyTheWatchesOfTheTypesSaidToHaveChangedAreLookedAt() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    s.ack();
    cache.publish(GRPC, next, changed(ResourceType.ENDPOINT, "a"));
    assertThat(s.responses).hasSize(1);

    cache.publish(GRPC, next, changed(ResourceType.CLUSTER, "a"));
    assertThat(s.responses).hasSize(2);
  }

  @Test
  void onlyTheAssignmentsSaidToHaveChangedAreCompared() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.ENDPOINT_TYPE_URL, "", "a", "b");
    s.ack("a", "b");
    cache.publish(GRPC, next.with(ResourceType.ENDPOINT, "b", assignment("b", "2")), changed(ResourceType.ENDPOINT, "a"));
    assertThat(names(s.last())).containsExactly("a");
  }

  @Test
  void aPublishWithoutChangedNamesLooksAtEveryWatch() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    s.ack();
    cache.publish(GRPC, next, null);
    assertThat(s.responses).hasSize(2);
  }

  @Test
  void aWatchIsAnsweredOnceAndAChangeBeforeTheAckWaitsForTheNextRequest() {
    CacheStream cds = new CacheStream(cache, GRPC, "n1");
    cds.request(V3.CLUSTER_TYPE_URL, ""); // answered by the first snapshot
    cache.publish(GRPC, mesh(), null);
    CacheStream eds = new CacheStream(cds);
    eds.request(V3.ENDPOINT_TYPE_URL, "", "a", "b"); // answered at once
    cache.publish(GRPC, next, Map.of(ResourceType.CLUSTER, Set.of("a"), ResourceType.ENDPOINT, Set.of("a")));
    assertThat(cds.responses).hasSize(1);
    assertThat(eds.responses).hasSize(1);

    cds.ack();
    eds.ack("a", "b");
    assertThat(cds.responses).hasSize(2);
    assertThat(cds.last().version()).isEqualTo(next.of(ResourceType.CLUSTER).version());
    assertThat(names(eds.last())).containsExactly("a");
  }
}
