package io.tether.xds.cache;

import static io.tether.xds.cache.Fixtures.ENVOY;
import static io.tether.xds.cache.Fixtures.changed;
import static io.tether.xds.cache.Fixtures.cluster;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import org.junit.jupiter.api.Test;

/**
 * The responses carrying a registry change that their client has not answered: what the publisher asks
 * before merging updates (a client that keeps up is not made to wait).
 */
class ChangesInFlightTest {
  private final TetherCache cache = new TetherCache();
  private final CacheStream stream = new CacheStream(cache, ENVOY, "n1");

  @Test
  void aChangeIsInFlightFromItsResponseUntilItsAckOrNack() {
    subscribeToClusters();
    publishChange(2);
    assertThat(cache.changesInFlight()).isEqualTo(1);
    stream.ack();
    assertThat(cache.changesInFlight()).isZero();

    publishChange(3);
    assertThat(cache.changesInFlight()).isEqualTo(1);
    stream.nack(stream.last().version(), "cluster a: bad config");
    assertThat(cache.changesInFlight()).as("a NACK answers it too").isZero();
  }

  @Test
  void changesSentBeforeAnAnswerAreOneResponseInFlight() {
    subscribeToClusters();
    publishChange(2);
    publishChange(3); // not sent: the watch waits for the answer to the first
    assertThat(cache.changesInFlight()).isEqualTo(1);
  }

  @Test
  void aStreamThatClosesWithAChangeUnansweredTakesItOutOfFlight() {
    subscribeToClusters();
    publishChange(2);
    assertThat(cache.changesInFlight()).isEqualTo(1);
    stream.close();
    assertThat(cache.changesInFlight()).isZero();
  }

  private void subscribeToClusters() {
    cache.publish(ENVOY, mesh(), null);
    stream.request(V3.CLUSTER_TYPE_URL, "");
    stream.ack();
    assertThat(cache.changesInFlight()).as("a first snapshot carries no change").isZero();
  }

  private void publishChange(long revision) {
    GroupSnapshot next = cache.snapshot(ENVOY).orElseThrow()
        .with(ResourceType.CLUSTER, "a", cluster("a", Long.toString(revision)));
    cache.publish(ENVOY, next, changed(ResourceType.CLUSTER, "a"), new ChangeStamp(revision, System.nanoTime()));
  }
}
