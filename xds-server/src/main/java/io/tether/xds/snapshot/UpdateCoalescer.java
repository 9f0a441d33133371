package io.tether.xds.snapshot;

import io.tether.registry.view.RegistryChange;
import io.tether.registry.view.RegistryUpdate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Merges the registry updates that arrive while clients are still taking the last ones (docs/scale.md
 * "Coalescing"). An update is applied at once when no apply is running and every client has answered
 * every change it was sent ({@code caughtUp}), or after a quiet spell of the interval; otherwise it waits
 * for the interval since the last apply, merged with whatever else arrives meanwhile (an update that
 * arrives during an apply is the start of a burst: its changes are not out yet, so clients only look
 * caught up). So a burst is applied as one merged update per
 * interval and a client is pushed at most about once per interval per type however fast the registry
 * changes, while writes that clients keep up with, however close together, wait for nothing. What is pending can be applied at once ({@link #applyPending}): a new
 * group's first snapshot must hold every update the view has delivered, or a client that connects just
 * after a write would start from the state before it.
 *
 * <p>Thread-safety: updates are offered on the view's thread; they are applied on the publisher's
 * ({@code thread}), which alone calls {@link #applyPending}.
 */
final class UpdateCoalescer {
  private final ScheduledExecutorService thread;
  private final Consumer<RegistryUpdate> apply;
  private final BooleanSupplier caughtUp;
  private final long intervalNanos;
  private volatile long lastApplyNanos;
  private volatile boolean applying;
  private RegistryUpdate pending; // guarded by this
  private ScheduledFuture<?> drain; // guarded by this; non-null while pending is waiting to be applied

  UpdateCoalescer(ScheduledExecutorService thread, Duration interval, BooleanSupplier caughtUp,
      Consumer<RegistryUpdate> apply) {
    this.thread = thread;
    this.apply = apply;
    this.caughtUp = caughtUp;
    this.intervalNanos = interval.toNanos();
    this.lastApplyNanos = System.nanoTime() - intervalNanos;
  }

  void offer(RegistryUpdate update) {
    synchronized (this) {
      pending = pending == null ? update : merge(pending, update);
      if (drain == null) {
        boolean idle = !applying && caughtUp.getAsBoolean();
        long wait = idle ? 0 : Math.max(0, lastApplyNanos + intervalNanos - System.nanoTime());
        drain = thread.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Applies what is pending now instead of at its scheduled time. Only on the publisher's thread. */
  void applyPending() {
    ScheduledFuture<?> scheduled;
    synchronized (this) {
      scheduled = drain;
    }
    if (scheduled != null) {
      scheduled.cancel(false); // cannot be running: it runs on this very thread
      drain();
    }
  }

  /** Waits until what was offered before this call has been applied: for tests. */
  void awaitDrained() throws InterruptedException, ExecutionException {
    ScheduledFuture<?> waiting;
    synchronized (this) {
      waiting = drain;
    }
    if (waiting != null) {
      try {
        waiting.get();
      } catch (CancellationException applied) {
        // applyPending ran it earlier, on the publisher's thread
      }
    }
  }

  /**
   * One update for {@code earlier} then {@code later}, with both changes (the publisher re-renders what
   * they name from the resulting state), timed from the first's receipt so that the write-to-ACK
   * histogram counts the wait. The resulting state is the later one's, unless that is a stale replay
   * (an older revision, not a re-list): as the publisher would skip it, the merge keeps the newer state.
   */
  static RegistryUpdate merge(RegistryUpdate earlier, RegistryUpdate later) {
    Set<RegistryChange> changes = new HashSet<>(earlier.changes());
    changes.addAll(later.changes());
    boolean stale = !later.resync() && later.current().revision() <= earlier.current().revision();
    return new RegistryUpdate(earlier.previous(), stale ? earlier.current() : later.current(), changes,
        earlier.resync() || later.resync(), earlier.receivedAtNanos());
  }

  private void drain() {
    RegistryUpdate update;
    synchronized (this) {
      update = pending;
      pending = null;
      drain = null;
    }
    if (update == null) {
      return;
    }
    lastApplyNanos = System.nanoTime();
    applying = true;
    try {
      apply.accept(update);
    } finally {
      applying = false;
    }
  }
}
