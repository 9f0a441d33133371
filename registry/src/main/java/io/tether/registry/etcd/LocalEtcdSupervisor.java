package io.tether.registry.etcd;

import com.google.common.annotations.VisibleForTesting;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the server's local etcd running: when the process exits without being asked to, it is
 * started again after a back-off that doubles from {@code firstBackoff} up to {@code maxBackoff}.
 * The back-off starts over once a restarted etcd has been healthy; after {@code maxFailures}
 * restarts in a row that never became healthy the supervisor gives up and calls {@code onGiveUp}
 * with the cause (the server then exits non-zero, so a process supervisor can act).
 *
 * <p>Thread-safety: restarts run on the supervisor's one thread; {@link #close} may be called from
 * any thread.
 */
public final class LocalEtcdSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalEtcdSupervisor.class);
  private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);

  private final LocalEtcd etcd;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final int maxFailures;
  private final Consumer<String> onGiveUp;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "local-etcd-supervisor");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean stopping;
  private int failures;
  private volatile int restarts;

  public LocalEtcdSupervisor(LocalEtcd etcd, Duration firstBackoff, Duration maxBackoff, int maxFailures,
      Consumer<String> onGiveUp) {
    this.etcd = etcd;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.maxFailures = maxFailures;
    this.onGiveUp = onGiveUp;
  }

  /** Starts etcd, waits until it is healthy (throwing the one-line cause if not), then watches it. */
  public LocalEtcdSupervisor start(Duration healthyWithin) {
    etcd.start().awaitHealthy(healthyWithin);
    watch();
    return this;
  }

  private void watch() {
    etcd.onExit().thenAccept(p -> {
      // Stopped on purpose (the supervisor's close, or the JVM's shutdown hook racing it): no restart.
      if (!stopping && !etcd.stoppedOnPurpose()) {
        thread.execute(this::exited);
      }
    });
  }

  private void exited() {
    String cause = etcd.lastLogLine();
    Duration backoff = backoff(failures);
    log.warn("local etcd exited unexpectedly ({}); restarting in {} ms", cause, backoff.toMillis());
    thread.schedule(this::restart, backoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void restart() {
    if (stopping) {
      return;
    }
    try {
      etcd.start().awaitHealthy(HEALTHY_WITHIN);
      failures = 0;
      restarts++;
      log.info("local etcd restarted and healthy at {}", etcd.clientUrl());
      watch();
    } catch (LocalEtcdException e) {
      failures++;
      if (failures >= maxFailures) {
        stopping = true;
        etcd.close();
        onGiveUp.accept("local etcd failed to restart " + failures + " times in a row: " + e.getMessage());
        return;
      }
      etcd.close();
      Duration backoff = backoff(failures);
      log.warn("local etcd did not restart ({}); trying again in {} ms", e.getMessage(), backoff.toMillis());
      thread.schedule(this::restart, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @VisibleForTesting
  Duration backoff(int failuresSoFar) {
    long millis = firstBackoff.toMillis() << Math.min(failuresSoFar, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  public String clientUrl() {
    return etcd.clientUrl();
  }

  /** How many times etcd was restarted and became healthy again. */
  public int restarts() {
    return restarts;
  }

  @Override
  public void close() {
    stopping = true;
    thread.shutdownNow();
    etcd.close();
  }
}
