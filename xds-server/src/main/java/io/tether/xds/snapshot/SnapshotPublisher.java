package io.tether.xds.snapshot;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tether.registry.view.RegistryListener;
import io.tether.registry.view.RegistryState;
import io.tether.registry.view.RegistryUpdate;
import io.tether.registry.view.RegistryView;
import io.tether.xds.cache.ChangeStamp;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.identity.MeshIdentities;
import io.tether.xds.node.GroupKey;
import io.tether.xds.render.TrustDomain;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place snapshots are built. It follows the registry view and keeps, in its {@link RenderedMesh},
 * for each {@link EgressKey} (namespace, kind of client, vipRange) that has connected nodes, every service
 * rendered; an update re-renders exactly what it touched (an endpoint change: one ClusterLoadAssignment,
 * shared by every group of the namespace but the server-only ones, which get their ingress only, and for
 * a zone-aware service one more per zone groups call from: {@link NamespaceAssignments})
 * and hands each affected group's new snapshot, with the changed names, to the {@link TetherCache},
 * which alone keeps what groups are served. Calls go one way: the publisher asks the cache which
 * groups are still connected and what a group is served, and publishes to it; it is told of a new
 * group or stream by {@link #streamAdmitted}, and of registry changes by {@link #onUpdate}, which merges
 * the updates of a burst ({@link UpdateCoalescer}).
 *
 * <p>Thread-safety: all rendering state is confined to one thread, the publisher's; {@link #onUpdate}
 * and {@link #streamAdmitted} only enqueue. A new group's watches wait in the cache until its first
 * snapshot, which is rendered on that thread in order with registry updates, so no update can slip
 * between render and publish. Being the cache's only publisher, it can derive a group's next snapshot
 * from the one the cache holds.
 */
public final class SnapshotPublisher implements RegistryListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
  /** How often leaves are checked for renewal: a check is a map lookup per identity served. */
  private static final long RENEWAL_CHECK_MS = 1000;
  /**
   * The least time between two registry updates applied while clients are still taking the last
   * changes; the updates of a burst within it are merged (docs/scale.md "Coalescing").
   */
  static final Duration MIN_APPLY_INTERVAL = Duration.ofMillis(100);

  private final TetherCache cache;
  private final RegistryView view;
  private final Timer applyTimer;
  /** The secrets of Envoy groups; null for a publisher that serves none (render tests, benchmarks). */
  private final GroupSecrets secrets;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-xds-publisher");
    t.setDaemon(true);
    return t;
  });
  private final UpdateCoalescer updates;

  // Confined to the publisher thread.
  private RegistryState state = RegistryState.EMPTY;
  private final RenderedMesh mesh;
  /** Groups that connected before the view's first load: rendered once it arrives. */
  private final Set<GroupKey> awaitingLoad = new HashSet<>();
  /** The update being applied: its revision and receipt, stamped on what it changes (docs/metrics.md). */
  private ChangeStamp cause = ChangeStamp.initial(0);

  /** A publisher of the registry's resources only: no secrets (render tests, benchmarks). */
  public SnapshotPublisher(TetherCache cache, RegistryView view, MeterRegistry meters) {
    this(cache, view, meters, null);
  }

  /** A publisher that also gives every Envoy group its two SDS secrets from {@code identities}. */
  public SnapshotPublisher(TetherCache cache, RegistryView view, MeterRegistry meters, MeshIdentities identities) {
    this(cache, view, meters, identities, MIN_APPLY_INTERVAL, () -> cache.changesInFlight() == 0);
  }

  /**
   * A publisher that merges the updates within {@code minApplyInterval} of the last one applied unless
   * {@code caughtUp} (the default: no change sent is still unanswered): for tests.
   */
  SnapshotPublisher(TetherCache cache, RegistryView view, MeterRegistry meters, MeshIdentities identities,
      Duration minApplyInterval, BooleanSupplier caughtUp) {
    this.updates = new UpdateCoalescer(thread, minApplyInterval, caughtUp, update -> guarded(() -> apply(update)));
    this.cache = cache;
    this.view = view;
    this.secrets = identities == null ? null : new GroupSecrets(identities);
    this.mesh = new RenderedMesh(identities == null ? TrustDomain.DEFAULT : identities.trustDomain());
    this.applyTimer = Timer.builder("tether.xds.publish").description("registry update to published snapshots")
        .publishPercentileHistogram().register(meters);
  }

  public SnapshotPublisher start() {
    view.addListener(this);
    thread.execute(() -> advance(view.current()));
    if (secrets != null) {
      thread.scheduleWithFixedDelay(() -> guarded(() -> secrets.renew(cache, state.revision())), RENEWAL_CHECK_MS,
          RENEWAL_CHECK_MS, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * A group got its first stream: render its first snapshot. Must not block (it is called on a gRPC
   * thread); a group that is gone by the time it is rendered is skipped.
   */
  public void groupConnected(GroupKey group) {
    streamAdmitted(group, true);
  }

  /**
   * A stream was admitted into {@code group}; the first of a group needs the group's first snapshot.
   * Either way the updates waiting to be merged are applied now, not after the merge interval: a new
   * group's first snapshot holds every update the view has delivered, and a stream joining a served
   * group, answered from its current snapshot, is sent them right after. Must not block (a gRPC thread).
   */
  public void streamAdmitted(GroupKey group, boolean firstOfGroup) {
    thread.execute(() -> {
      updates.applyPending();
      if (firstOfGroup) {
        guarded(() -> initialize(group));
      }
    });
  }

  @Override
  public void onUpdate(RegistryUpdate update) {
    updates.offer(update);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  /** Waits until what was enqueued before this call is done (rendering is asynchronous): for tests. */
  void awaitIdle() throws InterruptedException, java.util.concurrent.ExecutionException {
    updates.awaitDrained();
    thread.submit(() -> { }).get();
  }

  /** The namespaces whose services are kept rendered, read on the publisher's thread: for tests. */
  Set<String> renderedNamespaces() throws InterruptedException, java.util.concurrent.ExecutionException {
    return thread.submit(mesh::namespaces).get();
  }

  /** How many ClusterLoadAssignments the kept namespaces have rendered, read on the publisher's thread: for tests. */
  long assignmentRenders() throws InterruptedException, java.util.concurrent.ExecutionException {
    return thread.submit(mesh::assignmentRenders).get();
  }

  private void apply(RegistryUpdate update) {
    if (!update.resync() && update.current().revision() <= state.revision()) {
      return; // already rendered from a newer state
    }
    long start = System.nanoTime();
    state = update.current();
    cause = new ChangeStamp(state.revision(), update.receivedAtNanos());
    prune();
    NamespaceChanges.byNamespace(update.changes(), state).forEach(this::applyToNamespace);
    initializeAwaiting();
    applyTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private void applyToNamespace(String ns, NamespaceChanges changes) {
    mesh.rerender(state, ns, changes).forEach(this::publishChanges);
  }

  /** Applies an update's deltas to what the cache serves a group, and publishes when anything changed. */
  private void publishChanges(GroupKey group, List<SnapshotDelta> deltas) {
    GroupSnapshot current = cache.snapshot(group).orElse(null);
    if (current == null) {
      return; // gone, or back and awaiting its first snapshot from initialize
    }
    Map<ResourceType, Set<String>> changed = new HashMap<>();
    GroupSnapshot next = current;
    for (SnapshotDelta d : deltas) {
      if (d != null) {
        next = d.applyTo(next);
        d.namesInto(changed);
      }
    }
    if (!changed.isEmpty()) {
      cache.publish(group, next, changed, cause);
    }
  }

  /** A group's first snapshot (see {@link RenderedMesh#first}), with its secrets. */
  private void initialize(GroupKey group) {
    if (!cache.isActive(group)) {
      return;
    }
    if (state.revision() == 0) {
      // The view has not loaded yet (a replica just started): an empty snapshot now would make the
      // proxy drop every listener and cluster it holds. It is answered from the first load instead.
      awaitingLoad.add(group);
      return;
    }
    SnapshotDelta all = mesh.first(state, group);
    if (secrets != null) {
      secrets.addTo(group, all);
    }
    cache.publish(group, all.applyTo(GroupSnapshot.EMPTY), null, ChangeStamp.initial(state.revision()));
  }

  /** Renders the groups that connected before the view's first load; {@link #initialize} parks any still early. */
  private void initializeAwaiting() {
    List<GroupKey> groups = List.copyOf(awaitingLoad);
    awaitingLoad.clear();
    groups.forEach(this::initialize);
  }

  /** Forgets groups without streams, and namespaces no remaining group needs. */
  private void prune() {
    mesh.retain(cache.activeGroups());
    if (secrets != null) {
      secrets.retain(mesh.groups());
    }
  }

  private void advance(RegistryState s) {
    if (s.revision() > state.revision()) {
      state = s;
    }
  }

  private static void guarded(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("xDS snapshot publishing failed", e);
    }
  }
}
