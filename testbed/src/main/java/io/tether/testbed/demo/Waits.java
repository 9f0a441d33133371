package io.tether.testbed.demo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polling with a deadline: what the demo waits for is always a state it can read. */
final class Waits {
  private Waits() {}

  static void until(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up after " + limit.toSeconds() + " s waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
