package io.tether.bench.fleet;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fleet's counters, shared by its streams: what it has received, how many streams are served a full
 * config now (and when the last one became so), how many ever broke or were emptied.
 */
final class FleetStats {
  final LongAdder responses = new LongAdder();
  final LongAdder edsResponses = new LongAdder();
  final LongAdder bytes = new LongAdder();
  final LongAdder nacks = new LongAdder();
  private final int streams;
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger emptied = new AtomicInteger();
  private final CountDownLatch settled;
  private volatile long lastReadyWallMs;

  /** Counters of {@code streams} streams; each settles once, when it first becomes ready or fails. */
  FleetStats(int streams) {
    this.streams = streams;
    settled = new CountDownLatch(streams);
  }

  /** A stream has its full config; {@code first}: the first time that stream settles. */
  void ready(boolean first) {
    lastReadyWallMs = System.currentTimeMillis();
    synchronized (this) {
      ready.incrementAndGet();
      notifyAll();
    }
    if (first) {
      settled.countDown();
    }
  }

  /** A stream ended: counted, no longer ready if it was, and settled if this is its first settling. */
  void failed(boolean wasReady, boolean first) {
    failed.incrementAndGet();
    if (wasReady) {
      ready.decrementAndGet();
    }
    if (first) {
      settled.countDown();
    }
  }

  /** A client was sent a response that took all its clusters or a cluster's endpoints; once per client. */
  void emptied() {
    emptied.incrementAndGet();
  }

  /** Whether every stream is ready or failed, waiting at most {@code ms}. */
  boolean awaitSettled(long ms) throws InterruptedException {
    return settled.await(ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits at most {@code ms} until every stream is ready at once; the wall-clock time (ms) the last became
   * ready, or -1 on timeout.
   */
  synchronized long awaitAllReady(long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    while (ready.get() < streams && System.currentTimeMillis() < deadline) {
      wait(Math.max(1, Math.min(100, deadline - System.currentTimeMillis())));
    }
    return ready.get() < streams ? -1 : lastReadyWallMs;
  }

  void received(int size) {
    responses.increment();
    bytes.add(size);
  }

  String line() {
    return "STATS ready=" + ready.get() + " failed=" + failed.get() + " emptied=" + emptied.get() + " responses="
        + responses.sum() + " eds=" + edsResponses.sum() + " bytes=" + bytes.sum() + " nacks=" + nacks.sum();
  }
}
