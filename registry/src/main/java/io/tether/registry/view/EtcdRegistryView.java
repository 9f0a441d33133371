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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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
 * <p>Readiness ({@link #isReady()}, {@link #addReadinessListener}): loaded, the watch up, the watch
 * level with the revision etcd reported one probe before, and etcd reachable. Reachability is judged
 * by what etcd does, not by whether one probe was answered in time: anything etcd answers (a probe,
 * even late; a watch event or progress notification; a load) proves it reachable, and it is declared
 * unreachable only once {@value #FAILED_PROBES} probes in a row failed <em>and</em> nothing at all was
 * heard from it for {@link #UNREACHABLE_AFTER}. A busy box that answers slowly therefore stays ready;
 * a broken connection fails the watch, which makes the view not ready at once; an etcd that goes
 * silent with its connection open is reported within {@link #NOT_READY_WITHIN} of its last answer.
 * The probe runs on a thread of its own and times out on it, so no other work can delay it into
 * failing, nor hold back its verdict.
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

  /** How often the view asks etcd for its revision (the server's setting). */
  public static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
  /** A probe not answered by then counts as failed; its answer, should it come later, still proves etcd reachable. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  /** Failed probes in a row that, with {@link #UNREACHABLE_AFTER} of silence, make etcd unreachable. */
  public static final int FAILED_PROBES = 3;
  /** How long etcd must have said nothing at all, to any request or watch, before it is unreachable. */
  public static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(5);
  /**
   * The bound, with {@link #PROBE_INTERVAL}, from etcd's last answer to the view reporting not ready when
   * etcd falls silent with its connection open (hung, paused, cut off): the silence, then at most one
   * more probe's timeout and interval (6.5 s), rounded up. A closed connection is reported at once.
   */
  public static final Duration NOT_READY_WITHIN = Duration.ofSeconds(7);

  /** Whether the view is ready and, when it is not, why. */
  public record Readiness(boolean ready, String reason) {}

  private final Client client;
  private final KeyLayout keys;
  private final Duration probeInterval;
  private final ScheduledExecutorService loop;
  /** The probe's own thread: nothing else runs on it, so nothing else can hold a probe or its verdict back. */
  private final ScheduledExecutorService prober;
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Readiness>> readinessListeners = new CopyOnWriteArrayList<>();

  private volatile RegistryState state = RegistryState.EMPTY;
  private volatile boolean initialized;
  private volatile boolean watchHealthy;
  private volatile boolean closed;

  // Reachability: written by the prober and by whichever gRPC thread delivers an answer.
  private final Object reach = new Object();
  private volatile boolean etcdReachable;
  private long lastHeardNanos; // guarded by reach
  private int failedProbes; // guarded by reach

  private final Object readinessLock = new Object();
  private volatile Readiness readiness = new Readiness(false, "not loaded yet");
  private volatile long lastProbeRevision;
  private volatile long previousProbeRevision;
  /** The highest revision the watch has reported, events or progress: for readiness and lag only. */
  private volatile long watchedRevision;

  // Confined to the loop thread.
  private final TreeMap<Long, List<CompletableFuture<RegistryState>>> waiters = new TreeMap<>();
  private Watch.Watcher watcher;
  private long generation;
  private Duration backoff = Duration.ofMillis(100);

  public EtcdRegistryView(Client client, KeyLayout keys, Duration probeInterval) {
    this.client = client;
    this.keys = keys;
    this.probeInterval = probeInterval;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tether-registry-view");
      t.setDaemon(true);
      return t;
    });
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tether-registry-probe");
      t.setDaemon(true);
      return t;
    });
  }

  /** Loads the registry and starts following it; the returned future completes after the first load. */
  public CompletableFuture<RegistryState> start() {
    CompletableFuture<RegistryState> first = awaitRevision(1, Duration.ofDays(365));
    loop.execute(this::relist);
    prober.execute(this::probe);
    return first;
  }

  @Override
  public RegistryState current() {
    return state;
  }

  @Override
  public boolean isReady() {
    return readiness.ready();
  }

  /** Readiness and, when not ready, why. */
  public Readiness readiness() {
    return readiness;
  }

  /** Told every change of readiness, in order, on the thread that made it; must be quick. */
  public void addReadinessListener(Consumer<Readiness> listener) {
    readinessListeners.add(listener);
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

  /** Test hook: how many probes in a row have failed (0 once one is answered). */
  @VisibleForTesting
  int failedProbesForTest() {
    synchronized (reach) {
      return failedProbes;
    }
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
    prober.shutdownNow();
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
            heard();
            installSnapshot(response);
          }
        }, this::onLoop);
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
    updateReadiness();
  }

  private void subscribe(long fromRevision) {
    long gen = ++generation;
    WatchOption option = WatchOption.builder()
        .isPrefix(true).withRevision(fromRevision).withProgressNotify(true).build();
    watcher = client.getWatchClient().watch(keys.root(), option, Watch.listener(
        response -> {
          heard(); // here, not on the view's thread: a busy view must not hide that etcd answers
          onLoop(() -> onWatch(gen, response));
        },
        error -> onLoop(() -> onWatchError(gen, error)),
        () -> onLoop(() -> onWatchError(gen, new IllegalStateException("watch completed")))));
    watchHealthy = true;
    updateReadiness();
  }

  private void onWatch(long gen, WatchResponse response) {
    if (gen != generation || closed) {
      return;
    }
    watchedRevision = Math.max(watchedRevision, response.getHeader().getRevision());
    List<WatchEvent> events = response.getEvents();
    if (events.isEmpty()) {
      updateReadiness(); // a progress notification: readiness only, see the class comment
      return;
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
    updateReadiness();
  }

  private void onWatchError(long gen, Throwable error) {
    if (gen != generation || closed) {
      return;
    }
    watchHealthy = false;
    updateReadiness();
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

  /**
   * One probe at a time, on the prober: a range read of one key, then the next {@code probeInterval}
   * after it was answered or timed out. The timeout is the prober's own, not the JVM-wide one of
   * {@code orTimeout}, whose thread runs other futures' callbacks.
   */
  private void probe() {
    if (closed) {
      return;
    }
    CompletableFuture<GetResponse> answer = client.getKVClient().get(keys.root());
    answer.thenAccept(this::probeAnswered); // however late: an answer proves etcd reachable
    CompletableFuture<GetResponse> inTime = answer.copy();
    prober.schedule(() -> inTime.completeExceptionally(new TimeoutException(
        "no answer within " + PROBE_TIMEOUT.toMillis() + " ms")), PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    inTime.whenCompleteAsync((response, error) -> {
      if (error != null) {
        probeFailed(error);
      }
      if (!closed) {
        prober.schedule(this::probe, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
      }
    }, this::onProber);
  }

  private void probeAnswered(GetResponse response) {
    synchronized (reach) {
      failedProbes = 0;
    }
    heard();
    long revision = response.getHeader().getRevision();
    onLoop(() -> probedAt(revision));
  }

  /** On the view's thread, in order with the watch's responses: what readiness compares the watch with. */
  private void probedAt(long revision) {
    if (closed || revision < lastProbeRevision) {
      return; // a late answer, overtaken by a newer one
    }
    previousProbeRevision = lastProbeRevision;
    lastProbeRevision = revision;
    if (watcher != null && watchHealthy) {
      watcher.requestProgress();
    }
    updateReadiness();
  }

  /** Anything etcd answered. */
  private void heard() {
    synchronized (reach) {
      lastHeardNanos = System.nanoTime();
      if (etcdReachable || closed) {
        return;
      }
      etcdReachable = true;
    }
    log.info("etcd reachable");
    updateReadiness();
  }

  private void probeFailed(Throwable error) {
    long silentMs;
    int failed;
    synchronized (reach) {
      failed = ++failedProbes;
      silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
      if (!etcdReachable || failed < FAILED_PROBES || silentMs < UNREACHABLE_AFTER.toMillis()) {
        log.debug("etcd probe failed ({} in a row, nothing heard for {} ms): {}", failed, silentMs, error.toString());
        return;
      }
      etcdReachable = false;
    }
    log.warn("etcd unreachable: {} probes in a row failed, the last with {}, and nothing heard from etcd for {} ms",
        failed, error.toString(), silentMs);
    updateReadiness();
  }

  /**
   * Re-evaluates readiness after any of its inputs changed, from whichever thread changed it, and tells
   * the listeners about a change under the lock, so that they see changes in the order they happened.
   */
  private void updateReadiness() {
    synchronized (readinessLock) {
      Readiness next = evaluateReadiness();
      if (next.ready() == readiness.ready() || closed) {
        return;
      }
      readiness = next;
      if (next.ready()) {
        log.info("registry view ready at revision {}", state.revision());
      } else {
        log.warn("registry view not ready: {}", next.reason());
      }
      for (Consumer<Readiness> listener : readinessListeners) {
        listener.accept(next);
      }
    }
  }

  private Readiness evaluateReadiness() {
    if (!initialized) {
      return new Readiness(false, "not loaded yet");
    } else if (!etcdReachable) {
      return new Readiness(false, "etcd unreachable");
    } else if (!watchHealthy) {
      return new Readiness(false, "registry watch lost; re-listing");
    } else if (confirmedRevision() < previousProbeRevision) {
      return new Readiness(false, "behind etcd: confirmed revision " + confirmedRevision() + ", etcd at "
          + previousProbeRevision + " one probe ago");
    }
    return new Readiness(true, null);
  }

  /** Runs on the view's thread; after close, jetcd's late callbacks are dropped rather than thrown back at it. */
  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException closedAlready) {
      // the view is closed: nothing to apply
    }
  }

  private void onProber(Runnable task) {
    try {
      prober.execute(task);
    } catch (RejectedExecutionException closedAlready) {
      // the view is closed: no more probes
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
