package io.tether.conformance;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An app that keeps calling: one call at a time on a channel, a few milliseconds apart, each bounded
 * by its own deadline, every answer (or failure status) recorded with when it completed.
 */
final class ContinuousCalls implements AutoCloseable {
  /** One call's answer (a backend's name) or the failure's status code, and when it completed. */
  record Result(long atNanos, String answer, boolean ok) {}

  private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService caller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "continuous-calls");
    t.setDaemon(true);
    return t;
  });

  ContinuousCalls(ManagedChannel channel, long periodMs, long timeoutMs) {
    caller.scheduleWithFixedDelay(() -> {
      try {
        String answer = XdsClient.call(channel, timeoutMs);
        results.add(new Result(System.nanoTime(), answer, true));
      } catch (StatusRuntimeException e) {
        results.add(new Result(System.nanoTime(), e.getStatus().toString(), false));
      }
    }, 0, periodMs, TimeUnit.MILLISECONDS);
  }

  /** Results of calls that completed at or after {@code nanos}. */
  List<Result> since(long nanos) {
    return results.stream().filter(r -> r.atNanos() >= nanos).toList();
  }

  List<Result> failures() {
    return results.stream().filter(r -> !r.ok()).toList();
  }

  int count() {
    return results.size();
  }

  boolean answeredSince(String backend, long nanos) {
    return since(nanos).stream().anyMatch(r -> r.ok() && r.answer().equals(backend));
  }

  @Override
  public void close() {
    caller.shutdownNow();
    try {
      caller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
