package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.registry.view.RegistryState;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import io.tether.xds.render.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publishing rules: what a group is sent, what an update re-renders, groups early and gone. */
class SnapshotPublisherTest {
  private static final GroupKey SIDECAR = new GroupKey("ns", ProxyKind.ENVOY,
      List.of(new ServedService("web", 15000, 8080)));
  private static final GroupKey GRPC = GroupKey.grpc("ns");
  private static final String WEB = ResourceNames.cluster("ns", "web");
  private static final String API = ResourceNames.cluster("ns", "api");

  private final Registry view = new Registry();
  private final TetherCache cache = new TetherCache();
  private final SnapshotPublisher publisher = new SnapshotPublisher(cache, view, new SimpleMeterRegistry());
  private final List<GroupKey> published = new CopyOnWriteArrayList<>();
  private long nextStream = 1;

  SnapshotPublisherTest() {
    cache.addPublishListener((group, snapshot) -> published.add(group));
  }

  @AfterEach
  void close() {
    publisher.close();
  }

  @Test
  void aGroupIsSentItsNamespaceRenderedForItsKindAndItsOwnIngress() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}, "api", new String[] {"10.0.0.2"}));
    view.putService("other", "elsewhere", "10.9.0.1");
    publisher.start();
    connect(SIDECAR);
    connect(GRPC);
    publisher.awaitIdle();

    GroupSnapshot sidecar = served(SIDECAR);
    assertThat(sidecar.of(ResourceType.CLUSTER).resources().keySet())
        .containsExactlyInAnyOrder(WEB, API, ResourceNames.localCluster("web"));
    assertThat(sidecar.of(ResourceType.ENDPOINT).resources().keySet()).containsExactlyInAnyOrder(WEB, API);
    assertThat(sidecar.of(ResourceType.LISTENER).resources()).containsKey(ResourceNames.ingressListener("web"));
    GroupSnapshot grpc = served(GRPC);
    assertThat(grpc.of(ResourceType.CLUSTER).resources().keySet()).containsExactlyInAnyOrder(WEB, API);
    assertThat(grpc.of(ResourceType.ENDPOINT).resources().get(WEB))
        .isSameAs(sidecar.of(ResourceType.ENDPOINT).resources().get(WEB));
    assertThat(published).containsExactlyInAnyOrder(SIDECAR, GRPC);
  }

  @Test
  void anEndpointChangeReRendersOneAssignmentSharedByEveryGroupOfTheNamespace() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}, "api", new String[] {"10.0.0.2"}));
    publisher.start();
    connect(SIDECAR);
    connect(GRPC);
    publisher.awaitIdle();
    GroupSnapshot before = served(SIDECAR);

    view.putEndpoints("ns", "web", "10.0.0.1", "10.0.0.3");
    publisher.awaitIdle();
    GroupSnapshot after = served(SIDECAR);
    assertThat(changedNames(before, after)).containsExactly(ResourceType.ENDPOINT + " " + WEB);
    assertThat(served(GRPC).of(ResourceType.ENDPOINT).resources().get(WEB))
        .isSameAs(after.of(ResourceType.ENDPOINT).resources().get(WEB));
    assertThat(published).hasSize(4);
  }

  @Test
  void aSpecChangeReRendersThatServiceOnly() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}, "api", new String[] {"10.0.0.2"}));
    publisher.start();
    connect(GRPC);
    publisher.awaitIdle();
    GroupSnapshot before = served(GRPC);

    view.putService("ns", "api", "10.0.0.2");
    publisher.awaitIdle();
    assertThat(changedNames(before, served(GRPC))).isNotEmpty()
        .allSatisfy(n -> assertThat(n).doesNotContain("web")).contains(ResourceType.CLUSTER + " " + API);
  }

  @Test
  void aRemovedServiceLeavesTheSnapshot() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}, "api", new String[] {"10.0.0.2"}));
    publisher.start();
    connect(SIDECAR);
    publisher.awaitIdle();

    view.removeService("ns", "api");
    publisher.awaitIdle();
    GroupSnapshot after = served(SIDECAR);
    assertThat(after.of(ResourceType.CLUSTER).resources()).doesNotContainKey(API).containsKey(WEB);
    assertThat(after.of(ResourceType.ENDPOINT).resources()).doesNotContainKey(API);
  }

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
  }

  @Test
  void aGroupThatWentAwayIsNoLongerRenderedUntilItComesBack() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}));
    publisher.start();
    long stream = connect(GRPC);
    publisher.awaitIdle();
    cache.close(stream);

    view.putEndpoints("ns", "web", "10.0.0.9");
    publisher.awaitIdle();
    assertThat(published).containsExactly(GRPC);

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
    view.replayStale(old);
    publisher.awaitIdle();
    assertThat(published).containsExactly(GRPC);
  }

  /** A stream of the group, as the ADS layer admits it: the group's first stream is announced. */
  private long connect(GroupKey group) {
    long id = nextStream++;
    cache.open(id);
    if (cache.identify(id, new NodeIdentity("node-" + id, "c", "test", "client-and-server", group), false)) {
      publisher.groupConnected(group);
    }
    return id;
  }

  private GroupSnapshot served(GroupKey group) {
    return cache.snapshot(group).orElseThrow();
  }

  /** "TYPE name" of every resource added, removed or replaced by another object between two snapshots. */
  private static List<String> changedNames(GroupSnapshot before, GroupSnapshot after) {
    List<String> out = new ArrayList<>();
    for (ResourceType type : ResourceType.values()) {
      Map<String, VersionedResource<?>> a = before.of(type).resources();
      Map<String, VersionedResource<?>> b = after.of(type).resources();
      a.keySet().stream().filter(n -> !b.containsKey(n)).forEach(n -> out.add(type + " " + n));
      b.forEach((n, r) -> {
        if (a.get(n) != r) {
          out.add(type + " " + n);
        }
      });
    }
    return out;
  }
}
