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
 * Calls that can never hang a test, and a background loop that calls a channel continuously and
 * records when each answer arrived: what tests measuring propagation and ejection need.
 */
final class CallLoop implements AutoCloseable {
  /** The answer of a call that outlived its own deadline (grpc-java's outlier-detection defect). */
  static final String HUNG = "HUNG";

  /** How long past its deadline a call may take before it counts as hung. */
  private static final long GRACE_MS = 1_000;

  /** One finished call: when it ended (System.nanoTime) and its answer (backend name or status code). */
  record Result(long endNanos, String answer) {}

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
      return Status.fromThrowable(e.getCause()).getCode().name();
    } catch (TimeoutException e) {
      answer.cancel(true);
      return HUNG;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  final List<Result> results = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** Starts calling {@code channel} back to back, each call bounded by {@code timeoutMs}. */
  CallLoop(ManagedChannel channel, long timeoutMs) {
    thread = new Thread(() -> {
      while (running) {
        String answer = call(channel, timeoutMs);
        results.add(new Result(System.nanoTime(), answer));
      }
    }, "call-loop");
    thread.setDaemon(true);
    thread.start();
  }

  /** Results that ended after {@code nanos}. */
  List<Result> after(long nanos) {
    return results.stream().filter(r -> r.endNanos() > nanos).toList();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
