package io.tether.agent.host;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry routes the host-port memory follows, as the REST API mounts them (registry
 * {@code RegistryApi}): {@code /v1/namespaces/{ns}/services/{svc}/endpoints/{id}} (PUT registers,
 * DELETE removes; {@code …/{id}/health} is not this route) and {@code /v1/leases/{id}} (DELETE revokes,
 * which removes every endpoint under the lease). Paths are matched raw, exactly as forwarded (the relay
 * refuses dot segments, {@code //} and encoded dots or slashes); each matched segment is then decoded.
 */
final class EndpointPaths {
  private static final Pattern ENDPOINT = Pattern.compile("/v1/namespaces/([^/]+)/services/([^/]+)/endpoints/([^/]+)");
  private static final Pattern LEASE = Pattern.compile("/v1/leases/(\\d{1,19})");

  private EndpointPaths() {}

  static Optional<HostPorts.Key> endpoint(String path) {
    Matcher m = ENDPOINT.matcher(path);
    return m.matches()
        ? Optional.of(new HostPorts.Key(decoded(m.group(1)), decoded(m.group(2)), decoded(m.group(3))))
        : Optional.empty();
  }

  /** A raw segment percent-decoded ('+' is a plus in a path, not a space). */
  private static String decoded(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static OptionalLong lease(String path) {
    Matcher m = LEASE.matcher(path);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // past Long.MAX_VALUE: no lease of ours
    }
  }
}
