package io.tether.agent;

import sun.misc.Signal;

/**
 * Lets a signal stop a task's start-up at once. Start-up blocks (Envoy's readiness, the wait for a
 * healthy app, up to the start timeout), so a signal meanwhile interrupts the starting thread; the
 * task then cleans up and exits 128 + the signal's number. Once start-up has ended, signals are the
 * caller's to handle (they drain the task). Starts in start-up, so that a signal that comes before
 * {@link #begin()} is not lost.
 */
final class StartupGuard {
  private boolean starting = true;
  private Thread starter;
  private Signal stoppedBy;

  /** Called on the thread that runs start-up, before it starts anything. */
  synchronized void begin() {
    starter = Thread.currentThread();
    if (stoppedBy != null) {
      starter.interrupt();
    }
  }

  /** Stops start-up if it is still under way; false when it has ended and the signal is the caller's. */
  synchronized boolean stop(Signal signal) {
    if (!starting) {
      return false;
    }
    if (stoppedBy == null) {
      stoppedBy = signal;
      if (starter != null) {
        starter.interrupt();
      }
    }
    return true;
  }

  /**
   * Ends start-up, on the starting thread, clearing the interrupt that {@link #stop} may have sent
   * (cleaning up waits for processes to exit). Returns the signal that stopped it, or null.
   */
  synchronized Signal end() {
    starting = false;
    Thread.interrupted();
    return stoppedBy;
  }
}
