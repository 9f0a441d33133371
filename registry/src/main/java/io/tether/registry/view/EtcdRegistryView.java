package io.tether.registry.view;

import com.google.common.annotations.VisibleForTesting;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.tether.registry.store.KeyLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * <p>Readiness ({@link #isReady()}, {@link #addReadinessListener}; {@link ViewReadiness}): loaded, the
 * watch up, the watch level with the revision etcd reported a few probes before (a busy server's watch
 * may trail by {@link ViewReadiness#TOLERATED_PROBES} probes), and etcd reachable, as
 * judged by what etcd does ({@link EtcdProbe}: unreachable only once {@value #FAILED_PROBES} probes in a
 * row failed <em>and</em> nothing at all was heard for {@link #UNREACHABLE_AFTER}). A busy box that
 * answers slowly therefore stays ready; a broken connection fails the watch, which makes the view not
 * ready at once; an etcd that goes silent with its connection open is reported within {@link
 * #NOT_READY_WITHIN} of its last answer.
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
  private final ScheduledExecutorService loop;
  private final EtcdProbe probe;
  private final ViewReadiness readiness;
  private final ViewSubscribers subscribers = new ViewSubscribers();

  private volatile RegistryState state = RegistryState.EMPTY;
  private volatile boolean initialized;
  private volatile boolean watchHealthy;
  private volatile boolean closed;

  // Confined to the loop thread.
  private final PrefixWatch watch;
  private Duration backoff = Duration.ofMillis(100);

  public EtcdRegistryView(Client client, KeyLayout keys, Duration probeInterval) {
    this.client = client;
    this.keys = keys;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tether-registry-view");
      t.setDaemon(true);
      return t;
    });
    this.readiness = new ViewReadiness(this::evaluateReadiness, () -> closed, () -> state.revision());
    this.probe = new EtcdProbe(client, keys, probeInterval, revision -> onLoop(() -> probedAt(revision)),
        readiness::update);
    this.watch = new PrefixWatch(client, keys, this::onLoop, this.probe::heard);
  }

  /** Loads the registry and starts following it; the returned future completes after the first load. */
  public CompletableFuture<RegistryState> start() {
    CompletableFuture<RegistryState> first = awaitRevision(1, Duration.ofDays(365));
    loop.execute(this::relist);
    probe.start();
    return first;
  }

  @Override
  public RegistryState current() {
    return state;
  }

  @Override
  public boolean isReady() {
    return readiness.current().ready();
  }

  /** Readiness and, when not ready, why. */
  public Readiness readiness() {
    return readiness.current();
  }

  /** Told every change of readiness, in order, on the thread that made it; must be quick. */
  public void addReadinessListener(Consumer<Readiness> listener) {
    readiness.addListener(listener);
  }

  /** How many times the watch failed (or ended) and was started again after a re-list. */
  public long watchRestarts() {
    return watch.failures();
  }

  /** How many revisions the view trails etcd by, as of the last probe. */
  public long revisionLag() {
    return readiness.lag(state.revision());
  }

  @Override
  public void addListener(RegistryListener listener) {
    subscribers.addListener(listener);
  }

  @Override
  public CompletableFuture<RegistryState> awaitRevision(long revision, Duration timeout) {
    return subscribers.await(revision, timeout, () -> {
      RegistryState now = state;
      return initialized ? now : null;
    }, loop);
  }

  /**
   * Test hook: stops applying watch events without re-listing, as a watch stalled on a dead stream
   * would. Completes on the view's thread with the revision of the last state applied.
   */
  @VisibleForTesting
  CompletableFuture<Long> detachWatchForTest() {
    return CompletableFuture.supplyAsync(() -> {
      watch.close();
      return state.revision();
    }, loop);
  }

  /** Test hook: watches again from {@code fromRevision}, as resuming a dropped watch would. */
  @VisibleForTesting
  void resumeWatchForTest(long fromRevision) {
    loop.execute(() -> {
      watch.close();
      subscribe(fromRevision);
    });
  }

  /** Test hook: how many probes in a row have failed (0 once one is answered). */
  @VisibleForTesting
  int failedProbesForTest() {
    return probe.failedProbes();
  }

  /** Test hook: asks etcd for a progress notification on the current watch now, as the probe does. */
  @VisibleForTesting
  void requestProgressForTest() {
    loop.execute(watch::requestProgress);
  }

  @Override
  public void close() {
    if (loop.isShutdown()) {
      return;
    }
    CompletableFuture.runAsync(() -> {
      closed = true;
      watch.close();
    }, loop).join();
    probe.close();
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
    watch.close();
    GetOption all = GetOption.builder().isPrefix(true).build();
    client.getKVClient().get(keys.root(), all)
        .orTimeout(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((response, error) -> {
          if (error != null) {
            log.warn("registry load failed ({}); keeping the last state, retrying in {} ms",
                error.getMessage(), backoff.toMillis());
            retryRelistLater();
          } else {
            probe.heard();
            installSnapshot(response);
          }
        }, this::onLoop);
  }

  private void installSnapshot(GetResponse response) {
    long revision = response.getHeader().getRevision();
    RegistryState next = EtcdEvents.snapshot(keys, response);
    RegistryState previous = state;
    initialized = true;
    backoff = Duration.ofMillis(100);
    state = next;
    subscribers.published(previous, next, StateDiff.between(previous, next), true, System.nanoTime());
    subscribe(revision + 1);
    log.info("registry view loaded at revision {} ({} keys)", revision, response.getKvs().size());
    readiness.update();
  }

  private void subscribe(long fromRevision) {
    watch.start(fromRevision, this::onWatch, this::onWatchError);
    watchHealthy = true;
    readiness.update();
  }

  private void onWatch(WatchResponse response) {
    if (closed) {
      return;
    }
    readiness.watched(response.getHeader().getRevision());
    if (response.getEvents().isEmpty()) {
      readiness.update(); // a progress notification: readiness only, see the class comment
      return;
    }
    RegistryState previous = state;
    EtcdEvents.Applied applied = EtcdEvents.apply(keys, previous, response.getEvents());
    state = applied.state();
    subscribers.published(previous, applied.state(), applied.changes(), false, System.nanoTime());
    readiness.update();
  }

  private void onWatchError(Throwable error) {
    if (closed) {
      return;
    }
    watchHealthy = false;
    readiness.update();
    if (EtcdEvents.compaction(error)) {
      log.info("registry watch fell behind a compaction; re-listing");
      relist();
    } else {
      log.warn("registry watch failed ({}); re-listing in {} ms", error.toString(), backoff.toMillis());
      watch.close();
      retryRelistLater();
    }
  }

  private void retryRelistLater() {
    if (closed) {
      return;
    }
    loop.schedule(this::relist, backoff.toMillis(), TimeUnit.MILLISECONDS);
    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
  }

  /** On the view's thread, in order with the watch's responses: what readiness compares the watch with. */
  private void probedAt(long revision) {
    if (closed || !readiness.probedAt(revision)) {
      return; // a late answer, overtaken by a newer one
    }
    if (watchHealthy) {
      watch.requestProgress();
    }
    readiness.update();
  }

  private Readiness evaluateReadiness() {
    return ViewReadiness.evaluate(initialized, probe.isReachable(), watchHealthy,
        readiness.confirmedRevision(state.revision()), readiness.etcdRevisionProbesAgo());
  }

  /** Runs on the view's thread; after close, jetcd's late callbacks are dropped rather than thrown back at it. */
  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException closedAlready) {
      // the view is closed: nothing to apply
    }
  }
}
