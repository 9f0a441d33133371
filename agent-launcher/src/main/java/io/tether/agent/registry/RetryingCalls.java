package io.tether.agent.registry;

import io.tether.client.ApiException;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@link RegistryClient}'s policy over {@code TetherClient}: every call retried while it is worth it (no
 * connection, a timeout, a 502/503/504) with exponential back-off and jitter, up to the options'
 * attempts, then {@link RegistryUnavailableException}; any other error answer thrown at once as
 * {@link RegistryCallException}, or {@link LeaseGoneException} when it is about the call's lease.
 * Thread-safe: it holds only its settings.
 */
final class RetryingCalls {
  /** The lease of a call that is about none. */
  static final long NO_LEASE = -1;

  private final URI base;
  private final RegistryClient.Options options;

  RetryingCalls(URI base, RegistryClient.Options options) {
    this.base = base;
    this.options = options;
  }

  /**
   * One call with retries. {@code leaseId} (or {@link #NO_LEASE}) is the lease the call is about: a 404
   * blaming it, or any 404 of a lease's own path, is {@link LeaseGoneException}.
   */
  <T> T call(String what, long leaseId, Supplier<T> call) {
    RegistryUnavailableException last = null;
    for (int attempt = 1; attempt <= options.attempts(); attempt++) {
      if (attempt > 1) {
        backOff(attempt, what);
      }
      try {
        return call.get();
      } catch (ApiException e) {
        last = unavailable(e, what, attempt);
        if (last == null) {
          throw refused(e, what, leaseId);
        }
      }
    }
    throw last;
  }

  /** What is worth retrying (no answer, 502/503/504) as the exception to throw if it lasts; null otherwise. */
  private RegistryUnavailableException unavailable(ApiException e, String what, int attempt) {
    if (e.interrupted()) {
      throw new RegistryCallException(0, null, null, "interrupted while trying to " + what, e.getCause());
    }
    if (e.status() == 0) {
      return new RegistryUnavailableException(0, null, "could not " + what + ": registry at " + base
          + " unreachable after " + attempt + " attempt(s): " + e.getCause(), e.getCause());
    }
    int status = e.status();
    if (status == 502 || status == 503 || status == 504) {
      return new RegistryUnavailableException(status, e.code(), message(e, what) + " (after " + attempt + " attempt(s))", null);
    }
    return null;
  }

  private static RegistryCallException refused(ApiException e, String what, long leaseId) {
    boolean aboutTheLease = "leaseId".equals(e.field()) || (e.path() != null && e.path().startsWith("/v1/leases/"));
    if (e.status() == 404 && leaseId >= 0 && aboutTheLease) {
      return new LeaseGoneException(leaseId, e.code(), message(e, what));
    }
    return new RegistryCallException(e.status(), e.code(), e.field(), message(e, what), null);
  }

  private static String message(ApiException e, String what) {
    return "could not " + what + ": " + e.status() + (e.code() == null ? "" : " " + e.code()) + ": "
        + (e.apiMessage() == null ? e.response().text() : e.apiMessage());
  }

  private void backOff(int attempt, String what) {
    long ceiling = Math.min(options.maxBackoff().toMillis(), options.firstBackoff().toMillis() << Math.min(attempt - 2, 20));
    // Jitter: agents that lost the registry together must not come back in lockstep.
    long millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryCallException(0, null, null, "interrupted while waiting to retry: " + what, e);
    }
  }
}
