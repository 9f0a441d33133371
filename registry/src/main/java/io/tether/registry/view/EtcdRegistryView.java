package io.tether.registry.view;

import com.google.common.annotations.VisibleForTesting;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.tether.registry.store.KeyLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry view over etcd: one range read of the prefix at revision R, then one watch from R+1,
 * applied in revision order on a single thread to an immutable state that readers take without locks.
 *
 * <p>Failure handling: a compacted watch re-lists at once; a lost watch re-lists with back-off; while
 * etcd is unreachable the last state stays served and {@link #isReady()} is false. A re-list publishes
 * the complete new state in one step, with the exact differences, so no reader sees a partial state.
 *
 * <p>The state's revision moves only with events under the prefix and with re-lists, so a state at
 * revision R holds every write up to R. Progress notifications only tell readiness how far etcd has
 * confirmed the watch: etcd before 3.4.24/3.5.8 (issue #15220, Debian ships 3.4.23) answers a progress
 * request at once with its current revision even while the watch still catches up, so they must never
 * label a state.
 */
public final class EtcdRegistryView implements RegistryView, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdRegistryView.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final Client client;
  private final KeyLayout keys;
  private final Duration probeInterval;
  private final ScheduledExecutorService loop;
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

  private volatile RegistryState state = RegistryState.EMPTY;
  private volatile boolean initialized;
  private volatile boolean etcdReachable;
  private volatile boolean watchHealthy;
  private volatile long lastProbeRevision;
  private volatile long previousProbeRevision;
  /** The highest revision the watch has reported, events or progress: for readiness and lag only. */
  private volatile long watchedRevision;

  // Confined to the loop thread.
  private final TreeMap<Long, List<CompletableFuture<RegistryState>>> waiters = new TreeMap<>();
  private Watch.Watcher watcher;
  private long generation;
  private Duration backoff = Duration.ofMillis(100);
  private boolean closed;

  public EtcdRegistryView(Client client, KeyLayout keys, Duration probeInterval) {
    this.client = client;
    this.keys = keys;
    this.probeInterval = probeInterval;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tether-registry-view");
      t.setDaemon(true);
      return t;
    });
  }

  /** Loads the registry and starts following it; the returned future completes after the first load. */
  public CompletableFuture<RegistryState> start() {
    CompletableFuture<RegistryState> first = awaitRevision(1, Duration.ofDays(365));
    loop.execute(this::relist);
    loop.scheduleWithFixedDelay(this::probe, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
    return first;
  }

  @Override
  public RegistryState current() {
    return state;
  }

  @Override
  public boolean isReady() {
    return initialized && etcdReachable && watchHealthy && confirmedRevision() >= previousProbeRevision;
  }

  /** How many revisions the view trails etcd by, as of the last probe. */
  public long revisionLag() {
    return Math.max(0, lastProbeRevision - confirmedRevision());
  }

  private long confirmedRevision() {
    return Math.max(state.revision(), watchedRevision);
  }

  @Override
  public void addListener(RegistryListener listener) {
    listeners.add(listener);
  }

  @Override
  public CompletableFuture<RegistryState> awaitRevision(long revision, Duration timeout) {
    CompletableFuture<RegistryState> f = new CompletableFuture<>();
    RegistryState now = state;
    if (initialized && now.revision() >= revision) {
      f.complete(now);
      return f;
    }
    loop.execute(() -> {
      if (initialized && state.revision() >= revision) {
        f.complete(state);
      } else {
        waiters.computeIfAbsent(revision, r -> new ArrayList<>()).add(f);
      }
    });
    return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Test hook: stops applying watch events without re-listing, as a watch stalled on a dead stream
   * would. Completes on the view's thread with the revision of the last state applied.
   */
  @VisibleForTesting
  CompletableFuture<Long> detachWatchForTest() {
    return CompletableFuture.supplyAsync(() -> {
      closeWatcher();
      return state.revision();
    }, loop);
  }

  /** Test hook: watches again from {@code fromRevision}, as resuming a dropped watch would. */
  @VisibleForTesting
  void resumeWatchForTest(long fromRevision) {
    loop.execute(() -> {
      closeWatcher();
      subscribe(fromRevision);
    });
  }

  /** Test hook: asks etcd for a progress notification on the current watch now, as the probe does. */
  @VisibleForTesting
  void requestProgressForTest() {
    loop.execute(() -> {
      if (watcher != null) {
        watcher.requestProgress();
      }
    });
  }

  @Override
  public void close() {
    if (loop.isShutdown()) {
      return;
    }
    CompletableFuture.runAsync(() -> {
      closed = true;
      closeWatcher();
    }, loop).join();
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void relist() {
    if (closed) {
      return;
    }
    closeWatcher();
    GetOption all = GetOption.builder().isPrefix(true).build();
    client.getKVClient().get(keys.root(), all)
        .orTimeout(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((response, error) -> {
          if (error != null) {
            log.warn("registry load failed ({}); keeping the last state, retrying in {} ms",
                error.getMessage(), backoff.toMillis());
            retryRelistLater();
          } else {
            installSnapshot(response);
          }
        }, loop);
  }

  private void installSnapshot(GetResponse response) {
    long revision = response.getHeader().getRevision();
    StateMutation load = new StateMutation(RegistryState.EMPTY);
    for (KeyValue kv : response.getKvs()) {
      load.apply(keys.parse(kv.getKey()), kv.getValue().getBytes(), kv.getModRevision());
    }
    RegistryState next = load.result(revision);
    RegistryState previous = state;
    initialized = true;
    backoff = Duration.ofMillis(100);
    publish(previous, next, StateDiff.between(previous, next), true);
    subscribe(revision + 1);
    log.info("registry view loaded at revision {} ({} keys)", revision, response.getKvs().size());
  }

  private void subscribe(long fromRevision) {
    long gen = ++generation;
    WatchOption option = WatchOption.builder()
        .isPrefix(true).withRevision(fromRevision).withProgressNotify(true).build();
    watcher = client.getWatchClient().watch(keys.root(), option, Watch.listener(
        response -> onLoop(() -> onWatch(gen, response)),
        error -> onLoop(() -> onWatchError(gen, error)),
        () -> onLoop(() -> onWatchError(gen, new IllegalStateException("watch completed")))));
    watchHealthy = true;
  }

  private void onWatch(long gen, WatchResponse response) {
    if (gen != generation || closed) {
      return;
    }
    watchedRevision = Math.max(watchedRevision, response.getHeader().getRevision());
    List<WatchEvent> events = response.getEvents();
    if (events.isEmpty()) {
      return; // a progress notification: readiness only, see the class comment
    }
    RegistryState previous = state;
    StateMutation mutation = new StateMutation(previous);
    long revision = previous.revision();
    for (WatchEvent event : events) {
      KeyValue kv = event.getKeyValue();
      boolean put = event.getEventType() == WatchEvent.EventType.PUT;
      mutation.apply(keys.parse(kv.getKey()), put ? kv.getValue().getBytes() : null, kv.getModRevision());
      revision = Math.max(revision, kv.getModRevision());
    }
    publish(previous, mutation.result(revision), mutation.changes(), false);
  }

  private void onWatchError(long gen, Throwable error) {
    if (gen != generation || closed) {
      return;
    }
    watchHealthy = false;
    if (error instanceof CompactedException || causedByCompaction(error)) {
      log.info("registry watch fell behind a compaction; re-listing");
      relist();
    } else {
      log.warn("registry watch failed ({}); re-listing in {} ms", error.toString(), backoff.toMillis());
      closeWatcher();
      retryRelistLater();
    }
  }

  private static boolean causedByCompaction(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof CompactedException
          || (t.getMessage() != null && t.getMessage().contains("compacted"))) {
        return true;
      }
    }
    return false;
  }

  private void retryRelistLater() {
    if (closed) {
      return;
    }
    loop.schedule(this::relist, backoff.toMillis(), TimeUnit.MILLISECONDS);
    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
  }

  private void publish(RegistryState previous, RegistryState next, java.util.Set<RegistryChange> changes,
      boolean resync) {
    state = next;
    completeWaiters();
    if (changes.isEmpty() && !resync) {
      return;
    }
    RegistryUpdate update = new RegistryUpdate(previous, next, changes, resync);
    for (RegistryListener listener : listeners) {
      try {
        listener.onUpdate(update);
      } catch (RuntimeException e) {
        log.error("registry listener {} failed", listener, e);
      }
    }
  }

  private void completeWaiters() {
    Map<Long, List<CompletableFuture<RegistryState>>> due = waiters.headMap(state.revision(), true);
    RegistryState now = state;
    due.values().forEach(list -> list.forEach(f -> f.complete(now)));
    due.clear();
  }

  private void probe() {
    if (closed) {
      return;
    }
    client.getKVClient().get(keys.root())
        .orTimeout(Math.max(250, probeInterval.toMillis()), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((response, error) -> {
          if (error != null) {
            if (etcdReachable) {
              log.warn("etcd unreachable: {}", error.toString());
            }
            etcdReachable = false;
            return;
          }
          if (!etcdReachable) {
            log.info("etcd reachable at revision {}", response.getHeader().getRevision());
          }
          etcdReachable = true;
          previousProbeRevision = lastProbeRevision;
          lastProbeRevision = response.getHeader().getRevision();
          if (watcher != null && watchHealthy) {
            watcher.requestProgress();
          }
        }, loop);
  }

  /** Runs on the view's thread; after close, jetcd's late callbacks are dropped rather than thrown back at it. */
  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
      // the view is closed: nothing to apply
    }
  }

  private void closeWatcher() {
    generation++;
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }
}
