package io.tether.registry.store;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Times every etcd call, counts its failures by gRPC status code, bounds it with a deadline, and turns
 * transport failures into UNAVAILABLE (the meters: docs/metrics.md).
 */
final class EtcdCalls {
  private final MeterRegistry meters;
  private final Duration timeout;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  EtcdCalls(MeterRegistry meters, Duration timeout) {
    this.meters = meters;
    this.timeout = timeout;
  }

  <T> CompletableFuture<T> call(String op, Supplier<CompletableFuture<T>> call) {
    Timer.Sample sample = Timer.start(meters);
    return call.get()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((value, error) -> {
          sample.stop(timer(op, error == null ? "ok" : "error"));
          if (error != null) {
            errors(op, code(error)).increment();
            throw translate(error);
          }
          return value;
        });
  }

  private Timer timer(String op, String outcome) {
    return timers.computeIfAbsent(op + "/" + outcome, k -> Timer.builder("tether.etcd.requests")
        .description("etcd calls made by the registry").tag("op", op).tag("outcome", outcome)
        .publishPercentileHistogram().register(meters));
  }

  private Counter errors(String op, String code) {
    return errors.computeIfAbsent(op + "/" + code, k -> Counter.builder("tether.etcd.errors")
        .description("etcd calls made by the registry that failed, by gRPC status code").tag("op", op)
        .tag("code", code).register(meters));
  }

  /** The gRPC status code of a failed call; our own deadline is DEADLINE_EXCEEDED. */
  static String code(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException) {
      return Status.Code.DEADLINE_EXCEEDED.name();
    }
    if (cause instanceof EtcdException e) {
      return e.getErrorCode().name();
    }
    return Status.fromThrowable(cause).getCode().name();
  }

  static RuntimeException translate(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RegistryException r) {
      return r;
    }
    if (cause instanceof TimeoutException) {
      return new RegistryException(ErrorCode.UNAVAILABLE, "etcd did not answer in time");
    }
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (message.contains("lease not found")) {
      return new RegistryException(ErrorCode.NOT_FOUND, "lease not found or expired", "leaseId");
    }
    return new RegistryException(ErrorCode.UNAVAILABLE, "etcd unavailable: " + message);
  }
}
