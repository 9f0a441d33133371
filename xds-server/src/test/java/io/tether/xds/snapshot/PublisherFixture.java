package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

/**
 * A publisher between a registry the test moves by hand and a real cache, the groups it published to
 * (in order), and the groups of namespace {@code ns}: a sidecar serving web, proxyless clients.
 */
abstract class PublisherFixture {
  static final GroupKey SIDECAR = new GroupKey("ns", ProxyKind.ENVOY, List.of(new ServedService("web", 15000, 8080)));
  static final GroupKey GRPC = GroupKey.grpc("ns");
  static final String WEB = ResourceNames.cluster("ns", "web");
  static final String API = ResourceNames.cluster("ns", "api");

  final Registry view = new Registry();
  final TetherCache cache = new TetherCache();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final SnapshotPublisher publisher;
  final List<GroupKey> published = new CopyOnWriteArrayList<>();
  private long nextStream = 1;

  PublisherFixture() {
    this((io.tether.xds.identity.MeshIdentities) null);
  }

  /** A fixture whose publisher serves Envoy groups their secrets from {@code identities}. */
  PublisherFixture(io.tether.xds.identity.MeshIdentities identities) {
    publisher = new SnapshotPublisher(cache, view, meters, identities);
    cache.addPublishListener((group, snapshot) -> published.add(group));
  }

  /**
   * A fixture whose publisher merges the registry updates within {@code minApplyInterval} of the last
   * applied, as if clients never caught up (these streams make no requests, so none is ever behind).
   */
  PublisherFixture(java.time.Duration minApplyInterval) {
    publisher = new SnapshotPublisher(cache, view, meters, null, minApplyInterval, () -> false);
    cache.addPublishListener((group, snapshot) -> published.add(group));
  }

  @AfterEach
  void closePublisher() {
    publisher.close();
  }

  /** Loads services web and api (one endpoint each), starts the publisher, connects the groups and waits. */
  void startWithWebAndApi(GroupKey... groups) throws Exception {
    view.load(Map.of("web", new String[] {"10.0.0.1"}, "api", new String[] {"10.0.0.2"}));
    publisher.start();
    for (GroupKey g : groups) {
      connect(g);
    }
    publisher.awaitIdle();
  }

  /** A stream of the group, admitted as the ADS layer admits it (StreamAdmission). */
  long connect(GroupKey group) {
    long id = nextStream++;
    cache.open(id);
    boolean first = cache.identify(id, new NodeIdentity("node-" + id, "c", "test", "client-and-server", group), false);
    publisher.streamAdmitted(group, first);
    return id;
  }

  GroupSnapshot served(GroupKey group) {
    return cache.snapshot(group).orElseThrow();
  }

  /** "TYPE name" of every resource added, removed or replaced by another object between two snapshots. */
  static List<String> changedNames(GroupSnapshot before, GroupSnapshot after) {
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
