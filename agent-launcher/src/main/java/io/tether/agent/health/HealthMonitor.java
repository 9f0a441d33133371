package io.tether.agent.health;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link AppHealthCheck} against the app on its own thread and turns the results into a status
 * with hysteresis: {@code healthyThreshold} consecutive passes make it HEALTHY, {@code
 * unhealthyThreshold} consecutive failures make it UNHEALTHY, and anything shorter changes nothing, so
 * that one slow answer does not pull a task out of the load balancer. It starts UNKNOWN, which the
 * agent treats as not healthy: an app is registered only after it has passed healthyThreshold times.
 *
 * <p>The listener hears transitions only, in order, on the monitor's thread; it should not block for
 * long (the next check waits for it). With protocol NONE the monitor goes HEALTHY at once and checks
 * nothing. Thread-safe; {@link #start()} once, {@link #close()} when done.
 */
public final class HealthMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  public enum Status { UNKNOWN, HEALTHY, UNHEALTHY }

  private static final String LOOPBACK = "127.0.0.1";

  /** Hears status changes. {@code reason} says why: the failure that tipped it, or the passes that did. */
  @FunctionalInterface
  public interface Listener {
    void onTransition(Status from, Status to, String reason);
  }

  private final AppHealthCheck check;
  private final String host;
  private final Listener listener;
  private final ScheduledExecutorService executor;
  private final Object lock = new Object();
  private Probe probe;
  private Status status = Status.UNKNOWN;
  private int passes;
  private int failures;
  private String lastFailure;
  private boolean started;
  private boolean closed;

  /** Checks the app on this host's loopback, beside the agent. */
  public HealthMonitor(AppHealthCheck check, Listener listener) {
    this(check, LOOPBACK, listener);
  }

  /**
   * Checks the app at {@code host}: for an app the agent does not share a network namespace with (an
   * ECS task's app container in bridge mode, at its container IP).
   */
  public HealthMonitor(AppHealthCheck check, String host, Listener listener) {
    this.check = Objects.requireNonNull(check, "check");
    this.host = Objects.requireNonNull(host, "host");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tether-health-" + check.protocol().name().toLowerCase(java.util.Locale.ROOT) + "-" + check.port());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts checking: the first check runs at once, then one every interval after the previous ended. */
  public HealthMonitor start() {
    synchronized (lock) {
      if (started || closed) {
        throw new IllegalStateException(closed ? "closed" : "already started");
      }
      started = true;
      probe = Probe.of(check, host);
    }
    if (check.protocol() == AppHealthCheck.Protocol.NONE) {
      executor.execute(() -> record(true, null));
    } else {
      // Fixed delay, not fixed rate: after a pause (a suspended VM, a long GC) the checks must not
      // fire in a burst to catch up and flip the status on stale evidence.
      executor.scheduleWithFixedDelay(this::runOnce, 0, check.interval().toNanos(), TimeUnit.NANOSECONDS);
    }
    return this;
  }

  public AppHealthCheck check() {
    return check;
  }

  public Status status() {
    synchronized (lock) {
      return status;
    }
  }

  /** Why the last failed check failed, or null when none has; for telling an operator why an app never came up. */
  public String lastFailure() {
    synchronized (lock) {
      return lastFailure;
    }
  }

  /**
   * Waits until the status is HEALTHY, for at most the timeout: the agent's wait before it registers.
   *
   * @return true when HEALTHY; false when the time ran out or the monitor was closed
   */
  public boolean awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (status != Status.HEALTHY && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return status == Status.HEALTHY;
    }
  }

  /** Stops checking; a check under way is interrupted. No transitions are reported after this returns. */
  @Override
  public void close() {
    Probe toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = probe;
      lock.notifyAll();
    }
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(check.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        log.warn("health check of port {} did not stop in time", check.port());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  private void runOnce() {
    try {
      probe.check();
      record(true, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    } catch (Exception e) {
      record(false, describe(e));
    } catch (Error e) {
      // Never let the schedule die silently: a scheduled task that throws is not run again.
      log.error("health check of port {} failed unexpectedly", check.port(), e);
      record(false, describe(e));
    }
  }

  private void record(boolean passed, String failure) {
    Status from;
    Status to;
    String reason;
    synchronized (lock) {
      if (closed) {
        return;
      }
      from = status;
      if (passed) {
        passes++;
        failures = 0;
      } else {
        failures++;
        passes = 0;
        lastFailure = failure;
      }
      boolean unchecked = check.protocol() == AppHealthCheck.Protocol.NONE;
      if (passed && status != Status.HEALTHY && (unchecked || passes >= check.healthyThreshold())) {
        status = Status.HEALTHY;
      } else if (!passed && status != Status.UNHEALTHY && failures >= check.unhealthyThreshold()) {
        status = Status.UNHEALTHY;
      }
      to = status;
      reason = unchecked ? "no health check configured"
          : passed ? passes + " consecutive checks passed" : failures + " consecutive checks failed, the last: " + failure;
      lock.notifyAll();
    }
    if (from != to) {
      log.info("app on {} is {} (was {}): {}", target(), to, from, reason);
      try {
        listener.onTransition(from, to, reason);
      } catch (RuntimeException e) {
        log.error("health listener failed on {} -> {}", from, to, e);
      }
    }
  }

  /** "port 8080" beside the agent, else "172.17.0.3:8080". */
  private String target() {
    return host.equals(LOOPBACK) ? "port " + check.port() : host + ":" + check.port();
  }

  private static String describe(Throwable e) {
    if (e instanceof TimeoutException || e instanceof java.net.SocketTimeoutException
        || e instanceof java.net.http.HttpTimeoutException) {
      return "timed out: " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
