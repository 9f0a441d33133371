package io.tether.xds.cache;

import static io.tether.xds.cache.CacheStream.names;
import static io.tether.xds.cache.Fixtures.ENVOY;
import static io.tether.xds.cache.Fixtures.GRPC;
import static io.tether.xds.cache.Fixtures.assignment;
import static io.tether.xds.cache.Fixtures.changed;
import static io.tether.xds.cache.Fixtures.cluster;
import static io.tether.xds.cache.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Resources.V3;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.node.ProxyKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a stream is sent, and the streams and groups the cache keeps. */
class TetherCacheTest {
  private final TetherCache cache = new TetherCache();

  @Test
  void aWatchBeforeTheFirstSnapshotWaitsForIt() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    s.request(V3.CLUSTER_TYPE_URL, "");
    assertThat(s.responses).isEmpty();

    cache.publish(ENVOY, mesh(), null);
    assertThat(s.responses).hasSize(1);
    assertThat(names(s.last())).containsExactly("a", "b");
    assertThat(s.last().version()).isEqualTo(mesh().of(ResourceType.CLUSTER).version());
  }

  @Test
  void aFullStateTypeIsSentWholeWhenOneResourceChanges() {
    cache.publish(ENVOY, GroupSnapshot.EMPTY, null); // no streams: ignored
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    cache.publish(ENVOY, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    s.ack();
    assertThat(s.responses).hasSize(1);

    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "b", cluster("b", "2")), changed(ResourceType.CLUSTER, "b"));
    assertThat(s.responses).hasSize(2);
    assertThat(names(s.last())).containsExactly("a", "b");
  }

  @Test
  void anEndpointsResponseCarriesOnlyTheAssignmentThatChanged() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.ENDPOINT_TYPE_URL, "", "a", "b");
    assertThat(names(s.last())).containsExactly("a", "b");
    s.ack("a", "b");

    GroupSnapshot next = mesh().with(ResourceType.ENDPOINT, "b", assignment("b", "2"));
    cache.publish(GRPC, next, changed(ResourceType.ENDPOINT, "b"));
    assertThat(s.responses).hasSize(2);
    assertThat(names(s.last())).containsExactly("b");
  }

  @Test
  void anUpdateOfAnotherTypeWakesNoWatch() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    cache.publish(GRPC, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, "");
    s.ack();
    cache.publish(GRPC, mesh().with(ResourceType.ENDPOINT, "a", assignment("a", "2")),
        changed(ResourceType.ENDPOINT, "a"));
    assertThat(s.responses).hasSize(1);
  }

  @Test
  void namesThatDoNotExistAreAnsweredAtOnce() {
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    cache.publish(ENVOY, mesh(), null);
    s.request(V3.LISTENER_TYPE_URL, "", "missing");
    assertThat(s.responses).hasSize(1);
    assertThat(s.last().resources()).isEmpty();
  }

  @Test
  void aClientReconnectingWithTheCurrentVersionIsSentNothing() {
    cache.publish(ENVOY, mesh(), null);
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    cache.publish(ENVOY, mesh(), null);
    s.request(V3.CLUSTER_TYPE_URL, mesh().of(ResourceType.CLUSTER).version());
    assertThat(s.responses).isEmpty();

    cache.publish(ENVOY, mesh().with(ResourceType.CLUSTER, "a", cluster("a", "2")), changed(ResourceType.CLUSTER, "a"));
    assertThat(names(s.last())).containsExactly("a", "b");
  }

  @Test
  void theLastStreamOfAGroupTakesItsSnapshotAlong() {
    CacheStream a = new CacheStream(cache, ENVOY, "n1");
    CacheStream b = new CacheStream(cache, ENVOY, "n2");
    cache.publish(ENVOY, mesh(), null);
    assertThat(cache.activeGroups()).containsExactly(ENVOY);

    a.close();
    assertThat(cache.isActive(ENVOY)).isTrue();
    assertThat(cache.isOpen(a.id)).isFalse();
    b.close();
    assertThat(cache.activeGroups()).isEmpty();
    assertThat(cache.isActive(ENVOY)).isFalse();
    assertThat(cache.snapshot(ENVOY)).isEmpty();
    assertThat(cache.close(b.id)).isEmpty();
  }

  @Test
  void identifyTellsWhetherTheGroupIsNew() {
    cache.open(100);
    cache.open(101);
    var id = new NodeIdentity("n", "c", "ua", "client-only", ENVOY);
    assertThat(cache.identityOf(100)).isEmpty();
    assertThat(cache.identify(100, id, false)).isTrue();
    assertThat(cache.identify(101, id, false)).isFalse();
    assertThat(cache.identityOf(100)).contains(id);
    assertThat(cache.close(100)).contains(id);
    assertThatThrownBy(() -> cache.identify(100, id, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.handOver(100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWatchWithoutAHandedOverStreamFailsLoudly() {
    assertThatThrownBy(() -> cache.createWatch(true,
        XdsRequest.create(DiscoveryRequest.newBuilder()
            .setTypeUrl(V3.CLUSTER_TYPE_URL).build()), Set.of(), r -> { }, false, false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no xDS stream bound");
  }

  @Test
  void aHandedOverStreamIsTakenByOneWatchOnly() {
    CacheStream s = new CacheStream(cache, GRPC, "n1");
    XdsRequest request = XdsRequest.create(DiscoveryRequest.newBuilder().setTypeUrl(V3.CLUSTER_TYPE_URL).build());
    cache.handOver(s.id);
    cache.createWatch(true, request, Set.of(), r -> { }, false, false);
    assertThatThrownBy(() -> cache.createWatch(true, request, Set.of(), r -> { }, false, false))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStreamThatHasNotIdentifiedIsNeitherReportedNorAProxy() {
    cache.open(-1);
    new CacheStream(cache, GRPC, "n1");
    assertThat(cache.status()).singleElement().satisfies(st -> assertThat(st.nodeId()).isEqualTo("n1"));
    assertThat(cache.proxiesWithNodeId("n1")).containsExactly(new ProxyKey("ns", "n1"));
    assertThat(cache.groupOf(new ProxyKey("ns", "n1"))).contains(GRPC);
  }

  @Test
  void theStatusListsStreamsByNamespaceThenNodeIdThenStream() {
    connectProxyless(1, "b", "n1");
    connectProxyless(2, "a", "n2");
    connectProxyless(3, "a", "n1");
    connectProxyless(4, "a", "n1");
    assertThat(cache.status()).extracting(st -> st.namespace() + "/" + st.nodeId() + "/" + st.streamId())
        .containsExactly("a/n1/3", "a/n1/4", "a/n2/2", "b/n1/1");
  }

  @Test
  void aProxyIsServedAsItsNewestStreamsGroup() {
    GroupKey other = GroupKey.grpc("other");
    GroupKey served = new GroupKey("ns", io.tether.xds.node.ProxyKind.ENVOY,
        List.of(new io.tether.xds.node.ServedService("svc", 15000, 8080)));
    new CacheStream(cache, ENVOY, "n1");
    new CacheStream(cache, served, "n1");
    new CacheStream(cache, other, "n1");
    new CacheStream(cache, GRPC, "n2");
    assertThat(cache.groupOf(new ProxyKey("ns", "n1"))).contains(served);
    assertThat(cache.groupOf(new ProxyKey("ns", "n3"))).isEmpty();
    assertThat(cache.proxiesWithNodeId("n1")).containsExactly(new ProxyKey("ns", "n1"), new ProxyKey("other", "n1"));
  }

  @Test
  void publishListenersSeeEverySnapshotAfterItsWatches() {
    List<Map.Entry<GroupKey, GroupSnapshot>> seen = new ArrayList<>();
    CacheStream s = new CacheStream(cache, ENVOY, "n1");
    s.request(V3.CLUSTER_TYPE_URL, "");
    cache.addPublishListener((g, snap) -> seen.add(Map.entry(g, snap)));
    cache.publish(ENVOY, mesh(), null);
    assertThat(s.responses).hasSize(1);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).getKey()).isEqualTo(ENVOY);
    assertThat(cache.snapshot(ENVOY)).containsSame(seen.get(0).getValue());
  }

  private void connectProxyless(long streamId, String namespace, String nodeId) {
    cache.open(streamId);
    cache.identify(streamId, new NodeIdentity(nodeId, "c", "ua", "client-only", GroupKey.grpc(namespace)), false);
  }
}
