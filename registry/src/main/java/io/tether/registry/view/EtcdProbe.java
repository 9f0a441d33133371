package io.tether.registry.view;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.tether.registry.store.KeyLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether etcd is reachable, for {@link EtcdRegistryView}'s readiness, and the revision etcd reports.
 * Reachability is judged by what etcd does, not by whether one probe was answered in time: anything etcd
 * answers (a probe, even late; a watch event or progress notification; a load: {@link #heard}) proves it
 * reachable, and it is declared unreachable only once {@link EtcdRegistryView#FAILED_PROBES} probes in a
 * row failed <em>and</em> nothing at all was heard from it for {@link EtcdRegistryView#UNREACHABLE_AFTER}.
 *
 * <p>The probe runs on a thread of its own ({@code tether-registry-probe}) and times out on it, so no other
 * work can delay it into failing, nor hold back its verdict. Reachability is written by the prober and by
 * whichever gRPC thread delivers an answer, under one lock.
 */
final class EtcdProbe {
  private static final Logger log = LoggerFactory.getLogger(EtcdRegistryView.class);

  private final Client client;
  private final KeyLayout keys;
  private final Duration interval;
  private final LongConsumer answeredAt;
  private final Runnable reachabilityChanged;
  /** Nothing else runs on it, so nothing else can hold a probe or its verdict back. */
  private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-registry-probe");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  private final Object reach = new Object();
  private volatile boolean reachable;
  private long lastHeardNanos; // guarded by reach
  private int failedProbes; // guarded by reach

  /**
   * @param answeredAt told the revision of every answered probe, on the answering thread
   * @param reachabilityChanged told when etcd became reachable or unreachable, on the thread that saw it
   */
  EtcdProbe(Client client, KeyLayout keys, Duration interval, LongConsumer answeredAt, Runnable reachabilityChanged) {
    this.client = client;
    this.keys = keys;
    this.interval = interval;
    this.answeredAt = answeredAt;
    this.reachabilityChanged = reachabilityChanged;
  }

  void start() {
    prober.execute(this::probe);
  }

  boolean isReachable() {
    return reachable;
  }

  /** How many probes in a row have failed (0 once one is answered). */
  int failedProbes() {
    synchronized (reach) {
      return failedProbes;
    }
  }

  /** Anything etcd answered. */
  void heard() {
    synchronized (reach) {
      lastHeardNanos = System.nanoTime();
      if (reachable || closed) {
        return;
      }
      reachable = true;
    }
    log.info("etcd reachable");
    reachabilityChanged.run();
  }

  void close() {
    closed = true;
    prober.shutdownNow();
  }

  /**
   * One probe at a time, on the prober: a range read of one key, then the next {@code interval} after it
   * was answered or timed out. The timeout is the prober's own, not the JVM-wide one of {@code orTimeout},
   * whose thread runs other futures' callbacks.
   */
  private void probe() {
    if (closed) {
      return;
    }
    CompletableFuture<GetResponse> answer = client.getKVClient().get(keys.root());
    answer.thenAccept(this::answered); // however late: an answer proves etcd reachable
    CompletableFuture<GetResponse> inTime = answer.copy();
    Duration timeout = EtcdRegistryView.PROBE_TIMEOUT;
    prober.schedule(() -> inTime.completeExceptionally(new TimeoutException(
        "no answer within " + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
    inTime.whenCompleteAsync((response, error) -> {
      if (error != null) {
        failed(error);
      }
      if (!closed) {
        prober.schedule(this::probe, interval.toMillis(), TimeUnit.MILLISECONDS);
      }
    }, this::onProber);
  }

  private void answered(GetResponse response) {
    synchronized (reach) {
      failedProbes = 0;
    }
    heard();
    answeredAt.accept(response.getHeader().getRevision());
  }

  private void failed(Throwable error) {
    long silentMs;
    int failed;
    synchronized (reach) {
      failed = ++failedProbes;
      silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
      if (!reachable || failed < EtcdRegistryView.FAILED_PROBES
          || silentMs < EtcdRegistryView.UNREACHABLE_AFTER.toMillis()) {
        log.debug("etcd probe failed ({} in a row, nothing heard for {} ms): {}", failed, silentMs, error.toString());
        return;
      }
      reachable = false;
    }
    log.warn("etcd unreachable: {} probes in a row failed, the last with {}, and nothing heard from etcd for {} ms",
        failed, error.toString(), silentMs);
    reachabilityChanged.run();
  }

  private void onProber(Runnable task) {
    try {
      prober.execute(task);
    } catch (RejectedExecutionException closedAlready) {
      // the view is closed: no more probes
    }
  }
}
