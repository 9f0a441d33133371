package io.tether.xds.cache;

import static io.tether.xds.cache.CacheStream.names;
import static io.tether.xds.cache.Fixtures.ENVOY;
import static io.tether.xds.cache.Fixtures.GRPC;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import org.junit.jupiter.api.Test;

/** What the names of a state-of-the-world request mean: subscribed, dropped, asked for again, adopted on a reconnect. */
class SubscriptionTest {
  private final TetherCache cache = new TetherCache();

  @Test
  void anAssignmentDroppedAndAskedForAgainIsSentAgainUnchanged() {
    // grpc-java drops a cluster's assignment when its last channel to it closes, and asks for it again for a new one
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.ENDPOINT_TYPE_URL, "", "a", "b");
    s.ack("b");
    assertThat(s.responses).as("dropping a name asks for nothing").hasSize(1);

    s.ack("a", "b");
    assertThat(s.responses).hasSize(2);
    assertThat(names(s.last())).containsExactly("a");
  }

  @Test
  void aListenerDroppedAndAskedForAgainIsSentAgainUnchanged() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.LISTENER_TYPE_URL, "", "l");
    s.ack("l");
    s.ack("x");
    assertThat(s.responses).as("a full-state type answers the drop: l is gone for the client").hasSize(2);
    assertThat(s.last().resources()).isEmpty();

    s.ack("l");
    assertThat(s.responses).hasSize(3);
    assertThat(names(s.last())).containsExactly("l");
  }

  @Test
  void aReconnectingClientIsTakenAtItsWordForTheNamesItAsksForOnly() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    String current = mesh().of(ResourceType.ENDPOINT).version();
    s.request(V3.ENDPOINT_TYPE_URL, current, "a");
    assertThat(s.responses).as("it runs the current a").isEmpty();

    s.request(V3.ENDPOINT_TYPE_URL, current, "a", "b");
    assertThat(names(s.last())).as("b it never said it had").containsExactly("b");
  }

  @Test
  void aReconnectBeforeTheGroupsFirstSnapshotWaitsForAChange() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    s.request(V3.CLUSTER_TYPE_URL, mesh().of(ResourceType.CLUSTER).version());
    cache.publish(ENVOY, mesh(), null);
    assertThat(s.responses).as("the first snapshot is what it runs").isEmpty();

    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", Fixtures.cluster("a", "2")),
        Fixtures.changed(ResourceType.CLUSTER, "a"));
    assertThat(names(s.last())).containsExactly("a", "b");
  }
}
