package io.tether.xds.cache;

import static io.tether.xds.cache.CacheStream.names;
import static io.tether.xds.cache.Fixtures.ENVOY;
import static io.tether.xds.cache.Fixtures.GRPC;
import static io.tether.xds.cache.Fixtures.changed;
import static io.tether.xds.cache.Fixtures.cluster;
import static io.tether.xds.cache.Fixtures.listener;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ACK and NACK bookkeeping per stream and type, as /v1/proxies reports it, and delta subscriptions. */
class AckNackTest {
  private final TetherCache cache = new TetherCache();

  @Test
  void anAckRecordsTheVersionTheClientRuns() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    cache.publish(ENVOY, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    assertThat(status().ackedVersions()).containsEntry("CDS", "");

    s.ack();
    assertThat(status().ackedVersions()).containsEntry("CDS", mesh().of(ResourceType.CLUSTER).version());
    assertThat(status().lastNacks()).isEmpty();
  }

  @Test
  void aNackedVersionIsNotSentAgainUntilItChanges() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    cache.publish(ENVOY, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    s.ack();
    String accepted = s.last().version();

    GroupSnapshot bad = mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2"));
    cache.publish(ENVOY, bad, changed(ResourceType.CLUSTER, "a"));
    s.nack(accepted, "cluster a: bad config");
    assertThat(s.responses).hasSize(2);
    Nack nack = status().lastNacks().get("CDS");
    assertThat(nack.message()).isEqualTo("cluster a: bad config");
    assertThat(nack.version()).isEqualTo(bad.of(ResourceType.CLUSTER).version());
    assertThat(status().ackedVersions()).containsEntry("CDS", accepted);

    cache.publish(ENVOY, bad.with(ResourceType.LISTENER, "l", listener("l", "2")), changed(ResourceType.CLUSTER, "a"));
    assertThat(s.responses).hasSize(2); // same rejected cluster: no resend storm

    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", cluster("a", "3")), changed(ResourceType.CLUSTER, "a"));
    assertThat(s.responses).hasSize(3);
    assertThat(names(s.last())).containsExactly("a", "b");
  }

  @Test
  void aNackedAssignmentIsSentAgainOnceItChanges() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.ENDPOINT_TYPE_URL, "", "a", "b");
    s.nack("", "assignment rejected", "a", "b");
    assertThat(status().lastNacks()).containsKey("EDS");
    assertThat(s.responses).hasSize(1);

    cache.publish(GRPC, mesh().with(ResourceType.ENDPOINT, "b", Fixtures.assignment("b", "2")),
        changed(ResourceType.ENDPOINT, "b"));
    assertThat(names(s.last())).containsExactly("b");
  }

  @Test
  void anAckOfSomeAssignmentsKeepsTheOthersAccepted() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.ENDPOINT_TYPE_URL, "", "a", "b");
    s.ack("a", "b");
    cache.publish(GRPC, mesh().with(ResourceType.ENDPOINT, "b", Fixtures.assignment("b", "2")),
        changed(ResourceType.ENDPOINT, "b"));
    assertThat(names(s.last())).containsExactly("b");

    s.ack("a", "b");
    assertThat(s.responses).as("the client still holds a: nothing more is due").hasSize(2);
  }

  @Test
  void anAckedRemovalOfAListenerIsNotSentAgain() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    cache.publish(ENVOY, mesh(), null);
    s.request(V3.LISTENER_TYPE_URL, "");
    s.ack();
    cache.publish(ENVOY, mesh().with(ResourceType.LISTENER, "l", null), changed(ResourceType.LISTENER, "l"));
    assertThat(s.last().resources()).as("a full-state response without l removes it").isEmpty();

    s.ack();
    assertThat(s.responses).as("the client runs no l any more: nothing more is due").hasSize(2);
  }

  @Test
  void aDeltaAckAndNackAreRecordedAndTheNackedVersionIsNotSentAgain() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1", true);
    cache.publish(ENVOY, mesh(), null);
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of(), Set.of(), true, "");
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1", "b", "1"), Set.of(), true, "d1");
    assertThat(status().ackedVersions()).containsEntry("CDS", mesh().of(ResourceType.CLUSTER).version());
    assertThat(status().lastNacks()).isEmpty();

    GroupSnapshot bad = mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2"));
    cache.publish(ENVOY, bad, changed(ResourceType.CLUSTER, "a"));
    assertThat(s.lastDelta().resources()).containsOnlyKeys("a");
    s.deltaNack(V3.CLUSTER_TYPE_URL, Map.of("a", "1", "b", "1"), "d2", "cluster a: bad config");
    assertThat(status().lastNacks().get("CDS").message()).isEqualTo("cluster a: bad config");
    assertThat(status().lastNacks().get("CDS").version()).isEqualTo(bad.of(ResourceType.CLUSTER).version());
    assertThat(s.deltas).as("no resend storm").hasSize(2);

    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", cluster("a", "3")), changed(ResourceType.CLUSTER, "a"));
    assertThat(s.deltas).hasSize(3);
    assertThat(s.lastDelta().resources().get("a").version()).isEqualTo("3");
  }

  @Test
  void aDeltaAckBringsWhatChangedWhileItsResponseWasOutAndNothingOnceSettled() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1", true);
    cache.publish(ENVOY, mesh(), null);
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of(), Set.of(), true, "");
    assertThat(s.deltas).hasSize(1);

    // the stream has no watch until it ACKs: this update reaches it only through its ACK
    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2")), changed(ResourceType.CLUSTER, "a"));
    assertThat(s.deltas).hasSize(1);
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1", "b", "1"), Set.of(), true, "d1");
    assertThat(s.deltas).hasSize(2);
    assertThat(s.lastDelta().resources()).containsOnlyKeys("a");

    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "2", "b", "1"), Set.of(), true, "d2");
    assertThat(s.deltas).as("a settled stream's ACK brings nothing").hasSize(2);
    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2")).with(ResourceType.CLUSTER, "b",
        cluster("b", "2")), changed(ResourceType.CLUSTER, "b"));
    assertThat(s.deltas).as("its parked watch is answered by the next change").hasSize(3);
    assertThat(s.lastDelta().resources()).containsOnlyKeys("b");
  }

  @Test
  void aStreamsStatusSaysWhoItIs() {
    CacheStream s = new CacheStream(cache, GRPC, "n2", true);
    new CacheStream(cache, ENVOY, "n1");
    StreamStatus first = cache.status().get(0);
    assertThat(first.nodeId()).isEqualTo("n1");
    assertThat(first.delta()).isFalse();
    StreamStatus second = cache.status().get(1);
    assertThat(second.streamId()).isEqualTo(s.id);
    assertThat(second.kind()).isEqualTo("GRPC");
    assertThat(second.namespace()).isEqualTo("ns");
    assertThat(second.delta()).isTrue();
    assertThat(second.mode()).isEqualTo("client-and-server");
  }

  @Test
  void aWildcardDeltaSubscriptionIsAnsweredEvenWhenThereIsNothing() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1", true);
    cache.publish(ENVOY, GroupSnapshot.EMPTY, null);
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of(), Set.of(), true, "");
    assertThat(s.deltas).hasSize(1);
    assertThat(s.deltas.get(0).resources()).isEmpty();
  }

  @Test
  void aDeltaStreamIsSentWhatItLacksAndToldWhatWentAway() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1", true);
    cache.publish(ENVOY, mesh(), null);
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1"), Set.of(), true, "");
    assertThat(s.deltas.get(0).resources()).containsOnlyKeys("b");

    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1", "b", "1"), Set.of(), true, "n1");
    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "b", null), changed(ResourceType.CLUSTER, "b"));
    DeltaResponse last = s.deltas.get(s.deltas.size() - 1);
    assertThat(s.deltas).hasSize(2);
    assertThat(last.resources()).isEmpty();
    assertThat(last.removedResources()).containsExactly("b");
  }

  private StreamStatus status() {
    return cache.status().get(0);
  }
}
