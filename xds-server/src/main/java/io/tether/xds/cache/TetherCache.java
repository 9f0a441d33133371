package io.tether.xds.cache;

import io.envoyproxy.controlplane.cache.AbstractWatch;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.node.ProxyKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * The snapshots served to each node group, and the watches waiting on them. It replaces
 * java-control-plane's SimpleCache where that one falls short of a production control plane:
 * <ul>
 *   <li>state-of-the-world responses for routes and endpoints carry only what changed;
 *   <li>a NACKed version is never sent again until the resource changes (no resend storm);
 *   <li>a client reconnecting with the current version gets nothing (no spurious update);
 *   <li>requested names that do not exist are answered at once, not after a 15 s timeout;
 *   <li>an Envoy sent a changed cluster is sent that cluster's assignment again, unchanged or not: it
 *       re-warms the cluster and waits for one, without asking.
 * </ul>
 * Thread-safety: each group has one lock, held while its snapshot is replaced and while a watch of
 * one of its streams is planned; responses are handed to java-control-plane's executors.
 */
public final class TetherCache implements ConfigWatcher {
  private final ConcurrentMap<GroupKey, Group> groups = new ConcurrentHashMap<>();
  private final StreamTracker streams;
  private volatile Consumer<GroupKey> onNewGroup = g -> { };
  private final List<java.util.function.BiConsumer<GroupKey, GroupSnapshot>> publishListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public TetherCache(StreamTracker streams) {
    this.streams = streams;
    streams.bind(this);
  }

  /**
   * Who renders a group that just got its first stream. It is called outside any lock and must not
   * block: the group's watches wait until its first {@link #publish}, which comes from the renderer's
   * own thread, in order with registry updates, so no update can slip between render and install.
   */
  public void onNewGroup(Consumer<GroupKey> renderer) {
    this.onNewGroup = renderer;
  }

  private static final class Group {
    GroupSnapshot snapshot; // null until the first publish
    int streams;
    final List<PlannedWatch<?>> waiting = new ArrayList<>();
  }

  /**
   * Observes every snapshot published, after its watches were answered: for mirroring a group's
   * snapshots elsewhere (the benchmarks feed a stock SimpleCache with them). Listeners must be quick.
   */
  public void addPublishListener(java.util.function.BiConsumer<GroupKey, GroupSnapshot> listener) {
    publishListeners.add(listener);
  }

  /** The groups that have at least one stream: the only ones worth rendering. */
  public Set<GroupKey> activeGroups() {
    return Set.copyOf(groups.keySet());
  }

  /** The snapshot a group is served, if it has streams. */
  public Optional<GroupSnapshot> snapshot(GroupKey group) {
    Group g = groups.get(group);
    if (g == null) {
      return Optional.empty();
    }
    synchronized (g) {
      return Optional.ofNullable(g.snapshot);
    }
  }

  /**
   * Replaces a group's snapshot and answers the watches the change concerns.
   *
   * @param changed the names that changed, by type: only watches of these types are looked at, and
   *     for routes and endpoints only these names are compared; null (a group's first snapshot) means
   *     everything
   */
  public void publish(GroupKey group, GroupSnapshot snapshot, Map<ResourceType, Set<String>> changed) {
    Group g = groups.get(group);
    if (g == null) {
      return;
    }
    synchronized (g) {
      boolean first = g.snapshot == null;
      g.snapshot = snapshot;
      if (first || changed == null) {
        g.waiting.removeIf(w -> w.retry(snapshot, null));
      } else {
        g.waiting.removeIf(w -> changed.containsKey(w.type) && w.retry(snapshot, changed.get(w.type)));
      }
      settleResends(g);
    }
    publishListeners.forEach(l -> l.accept(group, snapshot));
  }

  /**
   * Answers the endpoint watches owed assignments by the cluster responses just sent: on the same
   * stream, right after the clusters, as Envoy's warming expects. Caller holds the group lock.
   */
  private static void settleResends(Group g) {
    if (g.snapshot != null) {
      g.waiting.removeIf(w -> w.owesResend() && w.retry(g.snapshot, Set.of()));
    }
  }

  void attach(ProxyStream stream) {
    GroupKey group = stream.identity().group();
    boolean[] created = {false};
    groups.compute(group, (k, g) -> {
      Group out = g;
      if (out == null) {
        out = new Group();
        created[0] = true;
      }
      out.streams++;
      return out;
    });
    if (created[0]) {
      onNewGroup.accept(group);
    }
  }

  void detach(ProxyStream stream) {
    groups.computeIfPresent(stream.identity().group(), (k, g) -> --g.streams == 0 ? null : g);
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
      Consumer<Response> consumer, boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
    ProxyStream stream = streams.takeCurrent();
    Watch watch = new Watch(ads, allowDefaultEmptyEdsUpdate, request, consumer);
    ResourceType type = request.getResourceType();
    Group g = groups.get(stream.identity().group());
    synchronized (g) {
      TypeState state = stream.type(type);
      if (!request.getResponseNonce().isEmpty()) {
        state.onReply(request.hasErrorDetail() ? request.v3Request().getErrorDetail().getMessage() : null,
            type == ResourceType.LISTENER || type == ResourceType.CLUSTER);
      }
      answerOrWait(g, new SotwWatch(watch, stream, state), watch);
    }
    return watch;
  }

  @Override
  public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
      Map<String, String> resourceVersions, Set<String> pendingResources, boolean isWildcard,
      Consumer<DeltaResponse> consumer, boolean hasClusterChanged) {
    ProxyStream stream = streams.takeCurrent();
    DeltaWatch watch = new DeltaWatch(request, resourceVersions, pendingResources, requesterVersion, isWildcard, consumer);
    Group g = groups.get(stream.identity().group());
    synchronized (g) {
      TypeState state = stream.type(request.getResourceType());
      if (!request.v3Request().getResponseNonce().isEmpty()) {
        state.onReply(request.v3Request().hasErrorDetail() ? request.v3Request().getErrorDetail().getMessage() : null,
            false);
      }
      answerOrWait(g, new DeltaCacheWatch(watch, stream, state), watch);
    }
    return watch;
  }

  /** Answers a new watch from the group's snapshot, or parks it until an update concerns it. Caller holds the lock. */
  private static void answerOrWait(Group g, PlannedWatch<?> w, AbstractWatch<?, ?> watch) {
    if (g.snapshot == null || !w.retry(g.snapshot, null)) {
      g.waiting.add(w);
      watch.setStop(() -> {
        synchronized (g) {
          g.waiting.remove(w);
        }
      });
    }
    settleResends(g);
  }

  /**
   * The group a connected proxy is served as. Should it have more than one stream (an old one not yet
   * closed after a reconnect), the newest one's: stream ids only grow.
   */
  public Optional<GroupKey> groupOf(ProxyKey proxy) {
    return streams.streams().stream().filter(s -> s.identity() != null && s.identity().key().equals(proxy))
        .max(Comparator.comparingLong(s -> s.streamId)).map(s -> s.identity().group());
  }

  /** The connected proxies that have this node id: one per namespace it is connected in, by namespace. */
  public List<ProxyKey> proxiesWithNodeId(String nodeId) {
    return streams.streams().stream().map(ProxyStream::identity).filter(id -> id != null && id.nodeId().equals(nodeId))
        .map(NodeIdentity::key).distinct().sorted(Comparator.comparing(ProxyKey::namespace)).toList();
  }

  /** Per-stream status for /v1/proxies, read under each group's lock, by namespace, node id and stream. */
  public List<StreamStatus> status() {
    List<StreamStatus> out = new ArrayList<>();
    for (ProxyStream s : streams.streams()) {
      if (s.identity() == null) {
        continue;
      }
      Group g = groups.get(s.identity().group());
      if (g == null) {
        continue;
      }
      synchronized (g) {
        out.add(StreamStatus.of(s));
      }
    }
    out.sort(Comparator.comparing(StreamStatus::namespace).thenComparing(StreamStatus::nodeId)
        .thenComparingLong(StreamStatus::streamId));
    return out;
  }
}
