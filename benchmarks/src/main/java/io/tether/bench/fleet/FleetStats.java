package io.tether.bench.fleet;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The fleet's counters, shared by its streams: what it has received and how many streams are ready. */
final class FleetStats {
  final LongAdder responses = new LongAdder();
  final LongAdder bytes = new LongAdder();
  final LongAdder nacks = new LongAdder();
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final CountDownLatch settled;

  /** Counters of {@code streams} streams; each becomes ready or fails once. */
  FleetStats(int streams) {
    settled = new CountDownLatch(streams);
  }

  void ready() {
    ready.incrementAndGet();
    settled.countDown();
  }

  /** A stream ended: counted, and settled if it was not yet ready. */
  void failed(boolean wasReady) {
    failed.incrementAndGet();
    if (!wasReady) {
      settled.countDown();
    }
  }

  /** Whether every stream is ready or failed, waiting at most {@code ms}. */
  boolean awaitSettled(long ms) throws InterruptedException {
    return settled.await(ms, TimeUnit.MILLISECONDS);
  }

  void received(int size) {
    responses.increment();
    bytes.add(size);
  }

  String line() {
    return "STATS ready=" + ready.get() + " failed=" + failed.get() + " responses=" + responses.sum() + " bytes="
        + bytes.sum() + " nacks=" + nacks.sum();
  }
}
