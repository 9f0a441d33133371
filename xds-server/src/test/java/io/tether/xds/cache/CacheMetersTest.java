package io.tether.xds.cache;

import static io.tether.xds.cache.Fixtures.ENVOY;
import static io.tether.xds.cache.Fixtures.GRPC;
import static io.tether.xds.cache.Fixtures.assignment;
import static io.tether.xds.cache.Fixtures.changed;
import static io.tether.xds.cache.Fixtures.cluster;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the cache's meters count (docs/metrics.md): which ACKs are timed and from when, pushes and NACKs
 * by type and protocol, and snapshot sizes. Receipt times are set in the past, so each sample's lower
 * bound says which change it was timed from.
 */
class CacheMetersTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TetherCache cache = new TetherCache(meters);

  @Test
  void aNewStreamsFirstResponseIsCountedButNotTimed() {
    subscribedToAssignments("a");
    assertThat(pushes("eds", "sotw")).isEqualTo(1);
    assertThat(writeToAck("eds").count()).as("nothing changed for this client: it just came").isZero();
  }

  @Test
  void anAckIsTimedFromTheReceiptOfTheEarliestChangeItsResponseCarried() {
    CacheStream s = subscribedToAssignments("a", "b");

    cache.publish(GRPC, mesh().with(ResourceType.ENDPOINT, "a", assignment("a", "2")),
        changed(ResourceType.ENDPOINT, "a"), stamp(2, 3000));
    // Changed again while that response awaits its ACK: the next response carries it.
    cache.publish(GRPC, mesh().with(ResourceType.ENDPOINT, "a", assignment("a", "2"))
        .with(ResourceType.ENDPOINT, "b", assignment("b", "3")), changed(ResourceType.ENDPOINT, "b"), stamp(3, 1000));
    s.ack("a", "b");
    assertThat(writeToAck("eds").count()).isEqualTo(1);
    assertThat(writeToAck("eds").max(TimeUnit.MILLISECONDS)).as("from revision 2's receipt").isGreaterThan(3000);

    assertThat(s.responses).hasSize(3);
    s.ack("a", "b");
    assertThat(writeToAck("eds").count()).isEqualTo(2);
    double second = writeToAck("eds").totalTime(TimeUnit.MILLISECONDS) - writeToAck("eds").max(TimeUnit.MILLISECONDS);
    assertThat(second).as("revision 3's sample").isBetween(1000.0, 3000.0);
  }

  @Test
  void aChangeToWhatTheClientDoesNotAskForDoesNotDateItsNextResponse() {
    CacheStream s = subscribedToAssignments("a");
    cache.publish(GRPC, mesh().with(ResourceType.ENDPOINT, "b", assignment("b", "2")),
        changed(ResourceType.ENDPOINT, "b"), stamp(2, 5000));
    cache.publish(GRPC, mesh().with(ResourceType.ENDPOINT, "b", assignment("b", "2"))
        .with(ResourceType.ENDPOINT, "a", assignment("a", "3")), changed(ResourceType.ENDPOINT, "a"), stamp(3, 100));
    s.ack("a");
    assertThat(writeToAck("eds").count()).isEqualTo(1);
    assertThat(writeToAck("eds").max(TimeUnit.MILLISECONDS)).as("from a's change, not b's").isBetween(100.0, 5000.0);
  }

  @Test
  void aRemovalIsTimedAndANackIsCountedNotTimed() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1", true);
    cache.publish(ENVOY, mesh(), null, ChangeStamp.initial(1));
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of(), Set.of(), true, "");
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1", "b", "1"), Set.of(), true, "n1");
    GroupSnapshot withoutB = mesh().with(ResourceType.CLUSTER, "b", null);
    cache.publish(ENVOY, withoutB, changed(ResourceType.CLUSTER, "b"), stamp(2, 2000));
    assertThat(s.lastDelta().removedResources()).containsExactly("b");
    s.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1"), Set.of(), true, "n2");
    assertThat(writeToAck("cds").count()).isEqualTo(1);
    assertThat(writeToAck("cds").max(TimeUnit.MILLISECONDS)).isGreaterThan(2000);

    cache.publish(ENVOY, withoutB.with(ResourceType.CLUSTER, "a", cluster("a", "3")), changed(ResourceType.CLUSTER, "a"), stamp(3, 10));
    s.deltaNack(V3.CLUSTER_TYPE_URL, Map.of("a", "1"), "n3", "bad cluster");
    assertThat(meters.get("tether.xds.nacks").tags("type", "cds", "protocol", "delta").counter().count()).isEqualTo(1);
    assertThat(pushes("cds", "delta")).isEqualTo(3);
    assertThat(writeToAck("cds").count()).as("a NACK is no ACK").isEqualTo(1);
  }

  @Test
  void snapshotSizesAreSummedPerNamespaceAndLeaveWithTheGroup() {
    CacheStream envoy = new CacheStream(cache, ENVOY, "n1");
    CacheStream grpc = new CacheStream(cache, GRPC, "n2");
    cache.publish(ENVOY, mesh(), null, ChangeStamp.initial(1));
    cache.publish(GRPC, mesh(), null, ChangeStamp.initial(1));
    long oneCluster = cluster("a", "1").resource().getSerializedSize();
    assertThat(gauge("tether.xds.snapshot.resources", "cds")).as("two groups of two clusters").isEqualTo(4);
    assertThat(gauge("tether.xds.snapshot", "cds")).isEqualTo(4 * oneCluster);

    cache.publish(GRPC, mesh().with(ResourceType.CLUSTER, "b", null), changed(ResourceType.CLUSTER, "b"), stamp(2, 1));
    assertThat(gauge("tether.xds.snapshot.resources", "cds")).isEqualTo(3);
    assertThat(gauge("tether.xds.snapshot", "cds")).isEqualTo(3 * oneCluster);

    envoy.close();
    assertThat(gauge("tether.xds.snapshot.resources", "cds")).isEqualTo(1);
    grpc.close();
    assertThat(gauge("tether.xds.snapshot.resources", "cds")).isZero();
    assertThat(gauge("tether.xds.snapshot", "eds")).isZero();
  }

  /** A proxyless stream that took its first assignments (named) from a group's first snapshot and ACKed them. */
  private CacheStream subscribedToAssignments(String... names) {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null, ChangeStamp.initial(1));
    s.request(V3.ENDPOINT_TYPE_URL, "", names);
    s.ack(names);
    return s;
  }

  private static ChangeStamp stamp(long revision, long msAgo) {
    return new ChangeStamp(revision, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(msAgo));
  }

  private double pushes(String type, String protocol) {
    return meters.get("tether.xds.pushes").tags("type", type, "protocol", protocol).counter().count();
  }

  private Timer writeToAck(String type) {
    return meters.get("tether.xds.write.to.ack").tags("type", type).timer();
  }

  private double gauge(String name, String type) {
    return meters.get(name).tags("namespace", "ns", "type", type).gauge().value();
  }
}
