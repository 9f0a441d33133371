package io.tether.process;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The process module's tests' one way to wait: poll a condition until it holds or a deadline passes (as
 * the other modules' {@code Poll}, which lives in a module that depends on this one).
 */
final class Await {
  private static final long PACE_MS = 10;

  private Await() {}

  /** Polls {@code condition} every 10 ms; fails naming {@code what} when it does not hold within {@code timeout}. */
  static void until(Duration timeout, Callable<Boolean> condition, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
      }
      Thread.sleep(PACE_MS);
    }
  }
}
