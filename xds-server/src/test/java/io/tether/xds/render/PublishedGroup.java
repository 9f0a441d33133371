package io.tether.xds.render;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.model.Endpoint;
import io.tether.model.Versioned;
import io.tether.registry.view.NamespaceEntry;
import io.tether.registry.view.RegistryListener;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.RegistryView;
import io.tether.registry.view.ServiceEntry;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.snapshot.SnapshotPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * What the real {@link SnapshotPublisher} sends a group when the registry holds {@link MeshFixture}'s
 * namespace: which resources a kind of node gets is decided there, not by the renderers, so the golden
 * files of nodes that differ in that (server-only, vipRange) are taken from its first snapshot.
 */
final class PublishedGroup {
  private PublishedGroup() {}

  private static final long REVISION = 1;

  /** The group's first snapshot, keyed as {@link MeshFixture#render} keys resources. */
  static Map<String, Message> firstSnapshot(GroupKey group) throws Exception {
    return firstSnapshot(group, MeshFixture.NAMESPACE);
  }

  /** As {@link #firstSnapshot(GroupKey)}, with {@code namespace} stored in place of the fixture's. */
  static Map<String, Message> firstSnapshot(GroupKey group, io.tether.model.Namespace namespace) throws Exception {
    return firstSnapshot(group, fixtureState(namespace));
  }

  /** The group's first snapshot when the registry holds {@code state}. */
  static Map<String, Message> firstSnapshot(GroupKey group, RegistryState state) throws Exception {
    TetherCache cache = new TetherCache();
    CompletableFuture<GroupSnapshot> first = new CompletableFuture<>();
    cache.addPublishListener((g, snapshot) -> {
      if (g.equals(group)) {
        first.complete(snapshot);
      }
    });
    try (SnapshotPublisher publisher = new SnapshotPublisher(cache, new FixedView(state),
        new SimpleMeterRegistry()).start()) {
      cache.open(1);
      cache.identify(1, new NodeIdentity("golden", "golden", "envoy", "golden", group), false);
      publisher.groupConnected(group);
      return keyed(first.get(30, TimeUnit.SECONDS));
    }
  }

  private static Map<String, Message> keyed(GroupSnapshot snapshot) {
    Map<String, Message> out = new LinkedHashMap<>();
    Map<ResourceType, String> prefixes = Map.of(ResourceType.CLUSTER, "cds.", ResourceType.ENDPOINT, "eds.",
        ResourceType.LISTENER, "lds.", ResourceType.ROUTE, "rds.");
    snapshot.types().forEach((type, resources) -> resources.resources()
        .forEach((name, r) -> out.put(prefixes.get(type) + name, r.resource())));
    return out;
  }

  /** The fixture's namespace, services, endpoints and VIPs, all at one revision. */
  static RegistryState fixtureState() {
    return fixtureState(MeshFixture.NAMESPACE);
  }

  private static RegistryState fixtureState(io.tether.model.Namespace namespace) {
    PMap<String, ServiceEntry> services = HashTreePMap.empty();
    PMap<String, String> vips = HashTreePMap.empty();
    Map<String, Map<String, Endpoint>> endpoints = MeshFixture.endpoints();
    for (ServiceInput in : MeshFixture.SERVICES) {
      String name = in.spec().discoveryName();
      PMap<String, Versioned<Endpoint>> byId = HashTreePMap.empty();
      for (Map.Entry<String, Endpoint> e : endpoints.getOrDefault(name, Map.of()).entrySet()) {
        byId = byId.plus(e.getKey(), new Versioned<>(e.getValue(), REVISION));
      }
      services = services.plus(name, new ServiceEntry(new Versioned<>(in.spec(), REVISION), byId));
      vips = vips.plusAll(in.vips());
    }
    NamespaceEntry ns = new NamespaceEntry(new Versioned<>(namespace, REVISION), services, vips);
    return new RegistryState(REVISION, HashTreePMap.singleton(MeshFixture.NS, ns));
  }

  /** A view that stays at one state. */
  private record FixedView(RegistryState state) implements RegistryView {
    @Override
    public RegistryState current() {
      return state;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void addListener(RegistryListener listener) {}

    @Override
    public CompletableFuture<RegistryState> awaitRevision(long revision, Duration timeout) {
      return CompletableFuture.completedFuture(state);
    }
  }
}
