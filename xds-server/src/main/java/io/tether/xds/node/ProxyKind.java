package io.tether.xds.node;

/** What kind of xDS client a node is; it decides the shape of everything rendered for it. */
public enum ProxyKind {
  /** An Envoy sidecar: egress listeners on VIPs, ingress listeners, RDS routes, EDS clusters. */
  ENVOY,
  /** A proxyless gRPC client (grpc-java, grpc-go…): api_listeners named {@code host:port}, EDS clusters. */
  GRPC
}
