package io.tether.xds.cache;

import static io.tether.xds.cache.CacheStream.names;
import static io.tether.xds.cache.Fixtures.ENVOY;
import static io.tether.xds.cache.Fixtures.GRPC;
import static io.tether.xds.cache.Fixtures.changed;
import static io.tether.xds.cache.Fixtures.cluster;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Envoy's cluster warming: an Envoy sent a changed EDS cluster drops its assignment and waits for it
 * without asking, so the stream is owed that assignment, right after the clusters (envoy#13009).
 */
class AssignmentResendTest {
  private final TetherCache cache = new TetherCache();

  @Test
  void anEnvoySentAChangedClusterIsSentItsAssignmentAgain() {
    CacheStream eds = changeAClusterHeldBy(ENVOY, mesh(), cluster("a", "2"), "a", "b");
    assertThat(eds.responses).hasSize(2);
    assertThat(names(eds.last())).containsExactly("a");
    assertThat(eds.last().version()).isEqualTo(mesh().of(ResourceType.ENDPOINT).version());

    // the resend answered the endpoint watch: a change before the client's next request waits for it
    GroupSnapshot next = mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2"))
        .with(ResourceType.ENDPOINT, "b", Fixtures.assignment("b", "2"));
    cache.publish(ENVOY, next, changed(ResourceType.ENDPOINT, "b"));
    assertThat(eds.responses).hasSize(2);
    eds.ack("a", "b");
    assertThat(names(eds.last())).containsExactly("b");
  }

  @Test
  void aProxylessClientKeepsItsAssignmentsWhenAClusterChanges() {
    assertThat(changeAClusterHeldBy(GRPC, mesh(), cluster("a", "2"), "a", "b").responses).hasSize(1);
  }

  @Test
  void aWildcardEndpointWatchIsOwedTheAssignmentToo() {
    CacheStream eds = changeAClusterHeldBy(ENVOY, mesh(), cluster("a", "2"));
    assertThat(eds.responses).hasSize(2);
    assertThat(names(eds.last())).containsExactly("a");
  }

  @Test
  void aClusterWithoutAServiceNameIsOwedTheAssignmentOfItsOwnName() {
    GroupSnapshot held = mesh().with(ResourceType.CLUSTER, "a", unnamedEds("a", "1"));
    CacheStream eds = changeAClusterHeldBy(ENVOY, held, unnamedEds("a", "2"), "a", "b");
    assertThat(names(eds.last())).containsExactly("a");
  }

  @Test
  void aChangedClusterSentOnItsAckIsFollowedByItsAssignment() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    cache.publish(ENVOY, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    CacheStream eds = new CacheStream(s);
    eds.request(V3.ENDPOINT_TYPE_URL, "", "a", "b");
    eds.ack("a", "b");
    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2")), changed(ResourceType.CLUSTER, "a"));
    assertThat(s.responses).as("the first cluster response is not ACKed yet: no cluster watch").hasSize(1);

    s.ack();
    assertThat(s.responses).hasSize(2);
    assertThat(eds.responses).hasSize(2);
    assertThat(names(eds.last())).containsExactly("a");
  }

  @Test
  void aDeltaEnvoySentAChangedClusterIsSentItsAssignmentAgain() {
    CacheStream cds = new CacheStream(cache, ENVOY, "n1", true);
    cache.publish(ENVOY, mesh(), null);
    cds.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of(), Set.of(), true, "");
    cds.deltaRequest(V3.CLUSTER_TYPE_URL, Map.of("a", "1", "b", "1"), Set.of(), true, "c1");
    CacheStream eds = new CacheStream(cds);
    eds.deltaRequest(V3.ENDPOINT_TYPE_URL, Map.of(), Set.of("a", "b"), false, "");
    eds.deltaRequest(V3.ENDPOINT_TYPE_URL, Map.of("a", "1", "b", "1"), Set.of(), false, "e1");
    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2")), changed(ResourceType.CLUSTER, "a"));
    assertThat(cds.deltas).hasSize(2);
    assertThat(eds.deltas).hasSize(2);
    assertThat(eds.lastDelta().resources()).containsOnlyKeys("a");
  }

  @Test
  void aDeltaEndpointWatchOwesOnlyTheAssignmentsItSubscribesTo() {
    ProxyStream stream = new ProxyStream(1);
    stream.identify(new NodeIdentity("n1", "c", "test", "client-and-server", ENVOY), true);
    TypeState state = stream.type(ResourceType.ENDPOINT);
    DeltaCacheWatch watch = new DeltaCacheWatch(new DeltaWatch(DeltaXdsRequest.create(DeltaDiscoveryRequest.newBuilder()
        .setTypeUrl(V3.ENDPOINT_TYPE_URL).build()), Map.of("a", "1"), Set.of("b"), "", false, r -> { }), stream, state,
        new GroupLedger(new CacheMeters(new SimpleMeterRegistry()), "test"));
    state.resend.addAll(Set.of("a", "b", "gone"));
    watch.plan(mesh().of(ResourceType.ENDPOINT).with("gone", Fixtures.assignment("gone", "1")), Set.of());
    assertThat(state.resend).as("tracked a and pending b are still owed; gone, unsubscribed, is not")
        .containsExactlyInAnyOrder("a", "b");

    watch.plan(mesh().of(ResourceType.ENDPOINT).with("a", null), Set.of());
    assertThat(state.resend).as("a no longer exists").containsExactly("b");
  }

  /**
   * A stream of the group holds (ACKed) clusters and the assignments named (none: all); cluster a
   * changes. Returns the handle of the stream's endpoint watches, to see what they were sent.
   */
  private CacheStream changeAClusterHeldBy(GroupKey group, GroupSnapshot held, VersionedResource<?> changedA,
      String... edsNames) {
    CacheStream s = new CacheStream(cache, group, "n1");
    cache.publish(group, held, null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    s.ack();
    // one ADS stream, one watch per type: the EDS watch is driven through a second handle on the same id
    CacheStream eds = new CacheStream(s);
    eds.request(V3.ENDPOINT_TYPE_URL, "", edsNames);
    eds.ack(edsNames);
    assertThat(eds.responses).as("the ACK of the assignments asks for nothing more").hasSize(1);
    cache.publish(group, held.with(ResourceType.CLUSTER, "a", changedA), changed(ResourceType.CLUSTER, "a"));
    assertThat(s.responses).hasSize(2);
    return eds;
  }

  /** An EDS cluster whose assignment goes by the cluster's own name (no service_name). */
  private static VersionedResource<?> unnamedEds(String name, String version) {
    return VersionedResource.create(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()).build(), version);
  }
}
