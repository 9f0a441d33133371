package io.tether.model;

import java.util.List;

/** How many times and on what a proxy retries a request; perTryTimeoutMs 0 means the request timeout. */
public record RetryPolicy(Integer numRetries, List<String> retryOn, Integer perTryTimeoutMs) {

  public RetryPolicy {
    retryOn = retryOn == null ? null : Lists.copyKeepingNulls(retryOn);
  }

  public RetryPolicy orElse(RetryPolicy fallback) {
    if (fallback == null) {
      return this;
    }
    return new RetryPolicy(
        Policies.first(numRetries, fallback.numRetries),
        Policies.first(retryOn, fallback.retryOn),
        Policies.first(perTryTimeoutMs, fallback.perTryTimeoutMs));
  }
}
