package io.tether.xds.render;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.type.v3.HashPolicy;
import io.tether.model.HashOn;
import java.util.Optional;

/**
 * A RING_HASH or MAGLEV service's hash key: what its routes (or its tcp_proxy) hash so that equal keys
 * reach the same endpoint. Absent means no hash policy, and Envoy and grpc-java then hash every request
 * at random. The effective policy carries a key only where it applies (see {@code HashOn#appliesTo}).
 */
final class HashPolicyRenderer {
  private HashPolicyRenderer() {}

  /**
   * grpc-java's key for "this channel": every call of one client channel hashes alike, which is what a
   * source address means for a proxyless client (one process, one address).
   */
  static final String GRPC_CHANNEL_ID = "io.grpc.channel_id";

  /** An Envoy route's hash policy: the header, the cookie (never generated: absent, it hashes at random), or the caller's address. */
  static Optional<RouteAction.HashPolicy> envoy(HashOn hashOn) {
    if (hashOn == null) {
      return Optional.empty();
    }
    RouteAction.HashPolicy.Builder policy = RouteAction.HashPolicy.newBuilder();
    if (hashOn.header() != null) {
      policy.setHeader(header(hashOn.header()));
    } else if (hashOn.cookie() != null) {
      policy.setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName(hashOn.cookie()));
    } else {
      policy.setConnectionProperties(RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true));
    }
    return Optional.of(policy.build());
  }

  /**
   * What grpc-java implements of route hash policies: a header, and the channel id as the source
   * address. It ignores cookies (gRPC has none), so a cookie key renders nothing and calls hash at
   * random, as grpc-java would do with the policy present.
   */
  static Optional<RouteAction.HashPolicy> proxyless(HashOn hashOn) {
    if (hashOn == null || hashOn.cookie() != null) {
      return Optional.empty();
    }
    RouteAction.HashPolicy.Builder policy = RouteAction.HashPolicy.newBuilder();
    if (hashOn.header() != null) {
      policy.setHeader(header(hashOn.header()));
    } else {
      policy.setFilterState(RouteAction.HashPolicy.FilterState.newBuilder().setKey(GRPC_CHANNEL_ID));
    }
    return Optional.of(policy.build());
  }

  /** tcp_proxy hashes on the source address only; validation keeps other keys off tcp services. */
  static Optional<HashPolicy> tcp(HashOn hashOn) {
    if (hashOn == null || !hashOn.onSourceIp()) {
      return Optional.empty();
    }
    return Optional.of(HashPolicy.newBuilder().setSourceIp(HashPolicy.SourceIp.getDefaultInstance()).build());
  }

  private static RouteAction.HashPolicy.Header header(String name) {
    return RouteAction.HashPolicy.Header.newBuilder().setHeaderName(name).build();
  }
}
