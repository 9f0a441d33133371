package io.tether.testbed.demo;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The caller's tallies as they arrive, one a second, from its task's output. */
final class Tallies {
  private final BlockingQueue<Tally> arrived = new LinkedBlockingQueue<>();

  /** Takes a line of the caller task's output; keeps it when it is a tally. */
  void offer(String line) {
    Tally.parse(line).ifPresent(arrived::add);
  }

  /** The next tally; fails when the caller has gone quiet for 5 s. */
  Tally next() throws InterruptedException {
    Tally t = arrived.poll(5, TimeUnit.SECONDS);
    if (t == null) {
      throw new IllegalStateException("the caller printed no tally for 5 s");
    }
    return t;
  }

  /** The first tally that satisfies {@code condition} within {@code limit}, skipping the ones before it. */
  Tally first(Predicate<Tally> condition, Duration limit, String what) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Tally t = next();
      if (condition.test(t)) {
        return t;
      }
    }
    throw new IllegalStateException("gave up after " + limit.toSeconds() + " s waiting for " + what);
  }
}
