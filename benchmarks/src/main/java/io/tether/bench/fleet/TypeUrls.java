package io.tether.bench.fleet;

import io.envoyproxy.controlplane.cache.Resources.V3;
import java.util.List;

/** The xDS types an Envoy sidecar of Tether subscribes, in the order it first asks for them. */
final class TypeUrls {
  static final String CDS = V3.CLUSTER_TYPE_URL;
  static final String EDS = V3.ENDPOINT_TYPE_URL;
  static final String LDS = V3.LISTENER_TYPE_URL;
  static final String RDS = V3.ROUTE_TYPE_URL;
  static final String SDS = V3.SECRET_TYPE_URL;
  /** The SDS secrets every Envoy group of Tether is served (docs/security.md "Certificates over SDS"). */
  static final List<String> SECRETS = List.of("tether/identity", "tether/trust-bundle");

  private TypeUrls() {}
}
