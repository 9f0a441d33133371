package io.tether.registry.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline: the only way tests synchronise with asynchronous systems. */
public final class Poll {
  private Poll() {}

  /** Polls every 10 ms until the condition holds; fails with the message after the timeout. Returns the elapsed ms. */
  public static long until(Duration timeout, BooleanSupplier condition, Supplier<String> message) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + message.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  public static long until(Duration timeout, BooleanSupplier condition, String message) {
    return until(timeout, condition, () -> message);
  }
}
