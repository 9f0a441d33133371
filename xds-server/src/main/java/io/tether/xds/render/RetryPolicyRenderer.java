package io.tether.xds.render;

import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A service's retry policy as a route's {@code retry_policy}. Empty whenever nothing would be retried,
 * so a config dump never shows a policy that does nothing.
 */
final class RetryPolicyRenderer {
  private RetryPolicyRenderer() {}

  /** The gRPC status names grpc-java retries on; it drops every other {@code retry_on} name silently. */
  static final Set<String> GRPC_CONDITIONS =
      Set.of("cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable");

  static final String RETRIABLE_STATUS_CODES = "retriable-status-codes";

  /** Envoy's condition for an attempt that got no response: reset, disconnect, or its per-try timeout. */
  static final String RESET = "reset";

  /** The only conditions under which Envoy retries an attempt that hit {@code per_try_timeout}. */
  private static final Set<String> RETRY_TIMED_OUT_ATTEMPT = Set.of(RESET, "5xx", "gateway-error");

  /**
   * Both clients reject a back-off without a positive base (grpc-java NACKs it), and these are the
   * defaults each uses anyway; written out so the config dump says what happens.
   */
  private static final RetryPolicy.RetryBackOff BACK_OFF = RetryPolicy.RetryBackOff.newBuilder()
      .setBaseInterval(Protos.millis(25))
      .setMaxInterval(Protos.millis(250))
      .build();

  /**
   * For Envoy: named conditions in {@code retry_on}, numeric ones as {@code retriable_status_codes}
   * under the {@code retriable-status-codes} condition, and each retry sent to another replica than the
   * ones that failed (a retry to the same bad task rarely helps). A per-try timeout adds {@code reset}
   * unless a condition covering a timed-out attempt is there already: Envoy retries an attempt cut by
   * {@code per_try_timeout} only under {@code reset}, {@code 5xx} or {@code gateway-error}, so with the
   * default conditions the first timed-out attempt ended the request with a 504 (seen with a real
   * Envoy: per-try timeout 300 ms, one timeout, no retry), which is not what a per-try timeout is for.
   */
  static Optional<RetryPolicy> envoy(io.tether.model.RetryPolicy policy) {
    Set<String> conditions = new LinkedHashSet<>();
    Set<Integer> codes = new LinkedHashSet<>();
    for (String on : policy.retryOn()) {
      if (isStatusCode(on)) {
        codes.add(Integer.parseInt(on));
      } else {
        conditions.add(on);
      }
    }
    if (!codes.isEmpty()) {
      conditions.add(RETRIABLE_STATUS_CODES);
    }
    if (policy.numRetries() == 0 || conditions.isEmpty()) {
      return Optional.empty();
    }
    if (policy.perTryTimeoutMs() > 0 && conditions.stream().noneMatch(RETRY_TIMED_OUT_ATTEMPT::contains)) {
      conditions.add(RESET);
    }
    RetryPolicy.Builder retry = RetryPolicy.newBuilder()
        .setRetryOn(String.join(",", conditions))
        .setNumRetries(Protos.uint32(policy.numRetries()))
        .addAllRetriableStatusCodes(codes)
        .setRetryBackOff(BACK_OFF)
        .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
            .setName("envoy.retry_host_predicates.previous_hosts")
            .setTypedConfig(Protos.any(PreviousHostsPredicate.getDefaultInstance())))
        .setHostSelectionRetryMaxAttempts(3);
    if (policy.perTryTimeoutMs() > 0) {
      retry.setPerTryTimeout(Protos.millis(policy.perTryTimeoutMs()));
    }
    return Optional.of(retry.build());
  }

  /**
   * For grpc-java: only the gRPC status conditions it understands. Empty when none is left or no retry
   * is allowed: grpc-java turns {@code num_retries: 0} into maxAttempts 1, which its service config
   * parser rejects ("maxAttempts must be greater than 1"), failing the channel's config instead of
   * disabling retries. grpc-java ignores {@code per_try_timeout} and caps attempts at 5 on its own.
   */
  static Optional<RetryPolicy> proxyless(io.tether.model.RetryPolicy policy) {
    List<String> conditions = new ArrayList<>();
    for (String on : policy.retryOn()) {
      if (GRPC_CONDITIONS.contains(on) && !conditions.contains(on)) {
        conditions.add(on);
      }
    }
    if (policy.numRetries() == 0 || conditions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(RetryPolicy.newBuilder()
        .setRetryOn(String.join(",", conditions))
        .setNumRetries(Protos.uint32(policy.numRetries()))
        .setRetryBackOff(BACK_OFF)
        .build());
  }

  private static boolean isStatusCode(String condition) {
    return condition.length() == 3 && condition.chars().allMatch(Character::isDigit);
  }
}
