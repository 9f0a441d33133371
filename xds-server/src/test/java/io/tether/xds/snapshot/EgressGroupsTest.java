package io.tether.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.model.VipRange;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.node.ProxyKind;
import io.tether.xds.node.ServedService;
import io.tether.xds.render.ResourceNames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What groups that differ in egress are sent: a server-only sidecar its ingress only, a node with a
 * {@code vipRange} its client-alias listeners at re-based addresses, each beside a plain sidecar.
 */
class EgressGroupsTest {
  private static final List<ServedService> WEB_SERVED = List.of(new ServedService("web", 15000, 8080));
  private static final GroupKey SIDECAR = new GroupKey("ns", ProxyKind.ENVOY, WEB_SERVED);
  private static final GroupKey SERVER_ONLY = new GroupKey("ns", ProxyKind.ENVOY, WEB_SERVED, true, null);
  private static final GroupKey HOST_EGRESS = new GroupKey("ns", ProxyKind.ENVOY, List.of(), false,
      VipRange.parse("100.127.0.0/16"));
  private static final String API_LISTENER = ResourceNames.egressListener("api:8080");

  private final Registry view = new Registry();
  private final TetherCache cache = new TetherCache();
  private final SnapshotPublisher publisher = new SnapshotPublisher(cache, view, new SimpleMeterRegistry());
  private final List<GroupKey> published = new CopyOnWriteArrayList<>();
  private long nextStream = 1;

  @BeforeEach
  void load() throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}, "api", new String[] {"10.0.0.2"}));
    view.putVip("ns", "web:8080", "127.255.0.1");
    view.putVip("ns", "api:8080", "127.255.0.2");
    cache.addPublishListener((group, snapshot) -> published.add(group));
    publisher.start();
    connect(SIDECAR);
    connect(SERVER_ONLY);
    connect(HOST_EGRESS);
    publisher.awaitIdle();
  }

  @AfterEach
  void close() {
    publisher.close();
  }

  @Test
  void aServerOnlyGroupIsSentItsIngressListenerAndLocalClusterOnly() {
    GroupSnapshot served = served(SERVER_ONLY);
    assertThat(served.of(ResourceType.LISTENER).resources()).containsOnlyKeys(ResourceNames.ingressListener("web"));
    assertThat(served.of(ResourceType.CLUSTER).resources()).containsOnlyKeys(ResourceNames.localCluster("web"));
    assertThat(served.of(ResourceType.ENDPOINT).resources()).isEmpty();
    assertThat(served.of(ResourceType.ROUTE).resources()).isEmpty();
    assertThat(served(SIDECAR).of(ResourceType.LISTENER).resources())
        .containsKeys(ResourceNames.ingressListener("web"), API_LISTENER);
  }

  @Test
  void aServerOnlyGroupIsNotRepublishedForOtherServicesButIsForItsOwn() throws Exception {
    published.clear();
    view.putEndpoints("ns", "api", "10.0.0.3");
    view.putVip("ns", "api:9090", "127.255.0.3");
    view.putService("ns", "api", "10.0.0.4");
    publisher.awaitIdle();
    assertThat(published).doesNotContain(SERVER_ONLY).contains(SIDECAR, HOST_EGRESS);

    view.putSpec("ns", Registry.httpSpec("web").withPolicy(io.tether.model.ServicePolicy.EMPTY.withTls(
        new io.tether.model.Tls(io.tether.model.TlsMode.STRICT))));
    publisher.awaitIdle();
    assertThat(published).contains(SERVER_ONLY);
    assertThat(served(SERVER_ONLY).of(ResourceType.ENDPOINT).resources()).isEmpty();
  }

  @Test
  void aVipRangeGroupBindsTheSameListenersAtReBasedAddresses() {
    Listener plain = listener(SIDECAR, API_LISTENER);
    Listener ranged = listener(HOST_EGRESS, API_LISTENER);
    assertThat(plain.getAddress().getSocketAddress().getAddress()).isEqualTo("127.255.0.2");
    assertThat(ranged.getAddress().getSocketAddress().getAddress()).isEqualTo("100.127.0.2");
    assertThat(ranged.toBuilder().setAddress(plain.getAddress()).build()).isEqualTo(plain);
    assertThat(version(HOST_EGRESS, API_LISTENER)).isNotEqualTo(version(SIDECAR, API_LISTENER));
    assertThat(served(HOST_EGRESS).of(ResourceType.ENDPOINT).resources().get(ResourceNames.cluster("ns", "api")))
        .isSameAs(served(SIDECAR).of(ResourceType.ENDPOINT).resources().get(ResourceNames.cluster("ns", "api")));
  }

  @Test
  void aNewVipIsReBasedForTheVipRangeGroup() throws Exception {
    view.putService("ns", "cart", "10.0.0.5");
    view.putVip("ns", "cart:8080", "127.255.0.9");
    publisher.awaitIdle();
    String name = ResourceNames.egressListener("cart:8080");
    assertThat(listener(HOST_EGRESS, name).getAddress().getSocketAddress().getAddress()).isEqualTo("100.127.0.9");
    assertThat(listener(SIDECAR, name).getAddress().getSocketAddress().getAddress()).isEqualTo("127.255.0.9");
    assertThat(served(SERVER_ONLY).of(ResourceType.LISTENER).resources()).doesNotContainKey(name);
  }

  private Listener listener(GroupKey group, String name) {
    VersionedResource<?> r = served(group).of(ResourceType.LISTENER).resources().get(name);
    assertThat(r).as("%s in %s", name, group).isNotNull();
    return (Listener) r.resource();
  }

  private String version(GroupKey group, String listener) {
    return served(group).of(ResourceType.LISTENER).resources().get(listener).version();
  }

  private void connect(GroupKey group) {
    long id = nextStream++;
    cache.open(id);
    if (cache.identify(id, new NodeIdentity("node-" + id, "c", "test", "client-and-server", group), false)) {
      publisher.groupConnected(group);
    }
  }

  private GroupSnapshot served(GroupKey group) {
    return cache.snapshot(group).orElseThrow();
  }
}
