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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The only owner of what is served: each node group's snapshot, the open streams (who they are, what
 * each holds per type) and the watches waiting on them. It replaces java-control-plane's SimpleCache
 * where that one falls short of a production control plane:
 * <ul>
 *   <li>state-of-the-world responses for routes and endpoints carry only what changed;
 *   <li>a NACKed version is never sent again until the resource changes (no resend storm);
 *   <li>a client reconnecting with the current version gets nothing (no spurious update);
 *   <li>requested names that do not exist are answered at once, not after a 15 s timeout;
 *   <li>a route or assignment a client dropped and asks for again is sent again, changed or not (as
 *       SimpleCache does with the stream's known names; go-control-plane#431 was this bug);
 *   <li>an Envoy sent a changed cluster is sent that cluster's assignment again, unchanged or not: it
 *       re-warms the cluster and waits for one, without asking.
 * </ul>
 * It calls nobody back: the ADS layer tells it of streams ({@link #open}, {@link #identify},
 * {@link #handOver}, {@link #close}), the publisher hands it snapshots ({@link #publish}).
 *
 * <p>Thread-safety: each group has one lock, held while its snapshot is replaced, while a watch of one
 * of its streams is planned and while its streams' type states are read; responses are handed to
 * java-control-plane's executors. Snapshots are published from one thread (the publisher's), so a
 * read of {@link #snapshot} followed by a {@link #publish} of what derives from it loses nothing.
 */
public final class TetherCache implements ConfigWatcher {
  private final ConcurrentMap<GroupKey, ServedGroup> groups = new ConcurrentHashMap<>();
  private final Streams streams = new Streams();
  private final List<BiConsumer<GroupKey, GroupSnapshot>> publishListeners = new CopyOnWriteArrayList<>();
  private final CacheMeters meters;

  public TetherCache() { // meters that go nowhere: for tests and tools
    this(new CompositeMeterRegistry());
  }

  /** A cache counting its responses, NACKs, ACK latency and snapshot sizes in {@code meters} (docs/metrics.md). */
  public TetherCache(MeterRegistry meters) {
    this.meters = new CacheMeters(meters);
  }

  /**
   * Observes every snapshot published, after its watches were answered: for mirroring a group's
   * snapshots elsewhere (the benchmarks feed a stock SimpleCache with them). Listeners must be quick.
   */
  public void addPublishListener(BiConsumer<GroupKey, GroupSnapshot> listener) {
    publishListeners.add(listener);
  }

  /** A stream java-control-plane opened; it has no identity until {@link #identify}. */
  public void open(long streamId) {
    streams.open(streamId);
  }

  public boolean isOpen(long streamId) {
    return streams.get(streamId) != null;
  }

  /** The identity of an open stream; empty when it has not identified (or is not open). */
  public Optional<NodeIdentity> identityOf(long streamId) {
    ProxyStream s = streams.get(streamId);
    return s == null ? Optional.empty() : Optional.ofNullable(s.identity());
  }

  /**
   * Gives an open stream its identity and attaches it to its group.
   *
   * @return true when it is its group's first stream: the group needs a first snapshot, and its
   *     watches wait until one is {@link #publish published}
   */
  public boolean identify(long streamId, NodeIdentity identity, boolean delta) {
    ProxyStream s = streams.get(streamId);
    if (s == null) {
      throw new IllegalArgumentException("xDS stream " + streamId + " is not open");
    }
    s.identify(identity, delta);
    boolean[] created = {false};
    groups.compute(identity.group(), (k, g) -> {
      ServedGroup out = g == null ? new ServedGroup(meters, k) : g;
      created[0] = g == null;
      out.streams++;
      return out;
    });
    return created[0];
  }

  /** Binds an open stream to this thread for the watch its request creates next; see {@link Streams}. */
  public void handOver(long streamId) {
    ProxyStream s = streams.get(streamId);
    if (s == null) {
      throw new IllegalArgumentException("xDS stream " + streamId + " is not open");
    }
    streams.handOver(s);
  }

  /** Forgets a stream, however it ended; a group without streams is dropped. Returns who it was, if known. */
  public Optional<NodeIdentity> close(long streamId) {
    ProxyStream s = streams.remove(streamId);
    if (s == null || s.identity() == null) {
      return Optional.empty();
    }
    groups.computeIfPresent(s.identity().group(), (k, g) -> {
      synchronized (g) {
        g.ledger.closed(s);
      }
      return --g.streams > 0 ? g : drop(g);
    });
    return Optional.of(s.identity());
  }

  /**
   * How many responses carrying a registry change await their client's reply, over every stream: 0
   * when every client has taken every change it was sent (the publisher then applies an update at
   * once instead of merging it with the next).
   */
  public long changesInFlight() {
    return meters.changesInFlight();
  }

  /** Nothing takes a group's lock and then the map's, so taking it inside the map's compute is safe. */
  private static ServedGroup drop(ServedGroup g) {
    synchronized (g) {
      g.dropped = true;
      g.ledger.dropped();
    }
    return null;
  }

  /** The groups that have at least one stream: the only ones worth rendering. */
  public Set<GroupKey> activeGroups() {
    return Set.copyOf(groups.keySet());
  }

  public boolean isActive(GroupKey group) {
    return groups.containsKey(group);
  }

  /** The snapshot a group is served; empty when it has no streams or no first snapshot yet. */
  public Optional<GroupSnapshot> snapshot(GroupKey group) {
    ServedGroup g = groups.get(group);
    if (g == null) {
      return Optional.empty();
    }
    synchronized (g) {
      return Optional.ofNullable(g.snapshot);
    }
  }

  /** How many watches of an active group's streams wait for an update to concern them: for tests. */
  int waitingWatches(GroupKey group) {
    ServedGroup g = groups.get(group);
    synchronized (g) {
      return g.waitingWatches();
    }
  }

  /**
   * Replaces a group's snapshot and answers the watches the change concerns; ignored for a group
   * without streams.
   *
   * @param changed the names that changed, by type: only watches of these types are looked at, and
   *     for routes and endpoints only these names are compared; null (a group's first snapshot) means
   *     everything
   */
  public void publish(GroupKey group, GroupSnapshot snapshot, Map<ResourceType, Set<String>> changed) {
    publish(group, snapshot, changed, ChangeStamp.initial(0));
  }

  /** As {@link #publish(GroupKey, GroupSnapshot, Map)}, built from the registry update {@code cause}. */
  public void publish(GroupKey group, GroupSnapshot snapshot, Map<ResourceType, Set<String>> changed,
      ChangeStamp cause) {
    ServedGroup g = groups.get(group);
    if (g == null) {
      return;
    }
    synchronized (g) {
      if (g.dropped) {
        return; // its last stream closed since the get: its weight is out of the totals, and stays out
      }
      GroupSnapshot before = g.snapshot;
      boolean first = before == null;
      g.ledger.published(first ? GroupSnapshot.EMPTY : before, snapshot, first ? null : changed, cause);
      g.snapshot = snapshot;
      if (first || changed == null) {
        g.retryWaiting(w -> g.retry(w, snapshot, null, null));
      } else {
        g.retryWaiting(w -> changed.containsKey(w.type) && g.retry(w, snapshot, before, changed.get(w.type)));
      }
      g.settleResends();
    }
    publishListeners.forEach(l -> l.accept(group, snapshot));
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
      Consumer<Response> consumer, boolean hasClusterChanged, boolean allowDefaultEmptyEdsUpdate) {
    ProxyStream stream = streams.take();
    Watch watch = new Watch(ads, allowDefaultEmptyEdsUpdate, request, consumer);
    ResourceType type = request.getResourceType();
    ServedGroup g = groups.get(stream.identity().group());
    boolean fullState = type == ResourceType.LISTENER || type == ResourceType.CLUSTER;
    synchronized (g) {
      TypeState state = stream.type(type);
      g.ledger.attach(state);
      if (!request.getResponseNonce().isEmpty()) {
        String error = request.hasErrorDetail() ? request.v3Request().getErrorDetail().getMessage() : null;
        g.ledger.replied(type, false, state, error != null);
        state.onReply(error, fullState);
      }
      if (!fullState) {
        state.onSubscribed(request.getResourceNamesList());
      }
      answerOrWait(g, new SotwWatch(watch, stream, state, g.ledger), watch);
    }
    return watch;
  }

  @Override
  public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
      Map<String, String> resourceVersions, Set<String> pendingResources, boolean isWildcard,
      Consumer<DeltaResponse> consumer, boolean hasClusterChanged) {
    ProxyStream stream = streams.take();
    DeltaWatch watch = new DeltaWatch(request, resourceVersions, pendingResources, requesterVersion, isWildcard, consumer);
    ServedGroup g = groups.get(stream.identity().group());
    synchronized (g) {
      TypeState state = stream.type(request.getResourceType());
      g.ledger.attach(state);
      if (!request.v3Request().getResponseNonce().isEmpty()) {
        boolean nack = request.v3Request().hasErrorDetail();
        g.ledger.replied(request.getResourceType(), true, state, nack);
        state.onDeltaReply(nack ? request.v3Request().getErrorDetail().getMessage() : null);
      }
      answerOrWait(g, new DeltaCacheWatch(watch, stream, state, g.ledger), watch);
    }
    return watch;
  }

  /** Answers a new watch from the group's snapshot, or parks it until an update concerns it. Caller holds the lock. */
  private static void answerOrWait(ServedGroup g, PlannedWatch<?> w, AbstractWatch<?, ?> watch) {
    if (g.snapshot == null || !g.retry(w, g.snapshot, null, null)) {
      g.park(w);
      watch.setStop(() -> {
        synchronized (g) {
          g.unpark(w);
        }
      });
    }
    g.settleResends();
  }

  /**
   * The group a connected proxy is served as. Should it have more than one stream (an old one not yet
   * closed after a reconnect), the newest one's: stream ids only grow.
   */
  public Optional<GroupKey> groupOf(ProxyKey proxy) {
    return streams.groupOf(proxy);
  }

  /** The connected proxies that have this node id: one per namespace it is connected in, by namespace. */
  public List<ProxyKey> proxiesWithNodeId(String nodeId) {
    return streams.proxiesWithNodeId(nodeId);
  }

  /** Per-stream status for /v1/proxies, read under each group's lock, by namespace, node id and stream. */
  public List<StreamStatus> status() {
    List<StreamStatus> out = new ArrayList<>();
    for (ProxyStream s : streams.identified()) {
      ServedGroup g = groups.get(s.identity().group());
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
