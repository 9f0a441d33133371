package io.tether.agent.relay;

import io.grpc.Metadata;
import java.util.Locale;
import java.util.Set;

/**
 * The metadata a relayed call carries on: the caller's own headers (and the server's headers and
 * trailers on the way back), without what gRPC sets itself for each hop ({@code grpc-*}, content type,
 * user agent) and, upstream, with the host's bearer token in place of any {@code authorization} the
 * caller sent. Stateless.
 */
final class RelayHeaders {
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Set<String> PER_HOP = Set.of("authorization", "content-type", "te", "user-agent", "host",
      "connection");

  private RelayHeaders() {}

  static Metadata toUpstream(Metadata fromCaller, String token) {
    Metadata out = copy(fromCaller);
    out.put(AUTHORIZATION, "Bearer " + token);
    return out;
  }

  static Metadata toDownstream(Metadata fromServer) {
    return copy(fromServer);
  }

  private static Metadata copy(Metadata in) {
    Metadata out = new Metadata();
    for (String name : in.keys()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (PER_HOP.contains(lower) || lower.startsWith("grpc-") || lower.startsWith(":")) {
        continue;
      }
      if (lower.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Metadata.Key<byte[]> key = Metadata.Key.of(lower, Metadata.BINARY_BYTE_MARSHALLER);
        in.getAll(key).forEach(value -> out.put(key, value));
      } else {
        Metadata.Key<String> key = Metadata.Key.of(lower, Metadata.ASCII_STRING_MARSHALLER);
        in.getAll(key).forEach(value -> out.put(key, value));
      }
    }
    return out;
  }
}
