package io.tether.conformance;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls that can never hang a test, and a background loop that calls a channel continuously (a few
 * callers at once) and records when each answer arrived: what tests measuring propagation and
 * ejection need. grpc-java can leave a call stuck until its deadline around endpoint changes
 * (docs/xds-clients.md); such a call is bounded, reported as a failure or {@link #HUNG}, and does not
 * stop the others.
 */
final class CallLoop implements AutoCloseable {
  /** The answer of a call that outlived its own deadline (grpc-java's outlier-detection defect). */
  static final String HUNG = "HUNG";

  /** How long past its deadline a call may take before it counts as hung. */
  private static final long GRACE_MS = 1_000;

  /** One finished call: when it ended (System.nanoTime) and its answer (backend name, status code or HUNG). */
  record Result(long endNanos, String answer) {
    /** True when a backend answered (its name is not a status code nor HUNG). */
    boolean ok() {
      return !answer.equals(HUNG) && java.util.Arrays.stream(Status.Code.values()).noneMatch(c -> c.name().equals(answer));
    }
  }

  /**
   * One call with a deadline of {@code timeoutMs}, waited on for at most that plus a grace period.
   * Returns the answering backend's name, the status code name, or {@link #HUNG}.
   */
  static String call(ManagedChannel channel, long timeoutMs) {
    ListenableFuture<String> answer = ClientCalls.futureUnaryCall(
        channel.newCall(EchoBackend.CALL, CallOptions.DEFAULT.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)),
        "hello");
    try {
      return answer.get(timeoutMs + GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Status status = Status.fromThrowable(e.getCause());
      if (status.getCode() == Status.Code.UNKNOWN || status.getCode() == Status.Code.INTERNAL) {
        // Not a status any test expects: keep its description, so that a failure names its cause.
        System.out.println("[CallLoop] call ended " + status + (status.getCause() != null ? " caused by " + status.getCause() : ""));
      }
      return status.getCode().name();
    } catch (TimeoutException e) {
      answer.cancel(true);
      return HUNG;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Callers running at once, so that one call stuck until its deadline does not starve the sample. */
  private static final int CALLERS = 3;

  final List<Result> results = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new java.util.ArrayList<>();
  private volatile boolean running = true;

  /** Starts calling {@code channel} back to back, each call bounded by {@code timeoutMs}. */
  CallLoop(ManagedChannel channel, long timeoutMs) {
    this(channel, 0, timeoutMs);
  }

  /** Starts calling {@code channel}, one call at a time with {@code pauseMs} between calls, as an app keeps calling. */
  CallLoop(ManagedChannel channel, long pauseMs, long timeoutMs) {
    for (int i = 0; i < CALLERS; i++) {
      Thread t = new Thread(() -> {
        while (running) {
          String answer = call(channel, timeoutMs);
          results.add(new Result(System.nanoTime(), answer));
          if (pauseMs > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
          }
        }
      }, "call-loop-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /** Results that ended after {@code nanos}. */
  List<Result> after(long nanos) {
    return results.stream().filter(r -> r.endNanos() > nanos).toList();
  }

  /** Calls that no backend answered. */
  List<Result> failures() {
    return results.stream().filter(r -> !r.ok()).toList();
  }

  int count() {
    return results.size();
  }

  /** True when {@code backend} answered a call that ended after {@code nanos}. */
  boolean answeredSince(String backend, long nanos) {
    return after(nanos).stream().anyMatch(r -> r.answer().equals(backend));
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
