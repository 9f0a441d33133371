package io.tether.bench;

import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.tether.model.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A 64-bit fingerprint of a cluster's endpoints, {@code address:port:health} of each, sorted, the same
 * whether read from an EDS assignment a stream was sent or from the endpoints etcd holds: how the scale
 * scenarios compare what each stream ACKed with the registry without keeping every stream's resources.
 */
final class EndpointSet {
  private EndpointSet() {}

  static long of(ClusterLoadAssignment assignment) {
    List<String> tokens = new ArrayList<>();
    for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
      for (LbEndpoint lb : locality.getLbEndpointsList()) {
        SocketAddress a = lb.getEndpoint().getAddress().getSocketAddress();
        tokens.add(a.getAddress() + ":" + a.getPortValue() + ":" + lb.getHealthStatus().name());
      }
    }
    return hash(tokens);
  }

  static long of(Collection<Endpoint> endpoints) {
    List<String> tokens = new ArrayList<>();
    for (Endpoint e : endpoints) {
      tokens.add(e.address() + ":" + e.port() + ":" + e.healthOrDefault().name());
    }
    return hash(tokens);
  }

  /** FNV-1a over the sorted tokens: 64 bits, so thousands of states of a service do not collide. */
  private static long hash(List<String> tokens) {
    Collections.sort(tokens);
    long h = 0xcbf29ce484222325L;
    for (String token : tokens) {
      for (int i = 0; i < token.length(); i++) {
        h = (h ^ token.charAt(i)) * 0x100000001b3L;
      }
      h = (h ^ ',') * 0x100000001b3L;
    }
    return h;
  }
}
