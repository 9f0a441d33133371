package io.tether.xds.render;

/**
 * The names of every rendered resource: the contract between the renderer, the snapshot publisher
 * and the clients. A name says what the resource is for, so a config dump reads like the registry.
 */
public final class ResourceNames {
  private ResourceNames() {}

  /** The EDS cluster of a service, and its ClusterLoadAssignment: {@code payments.prod}. */
  public static String cluster(String namespace, String service) {
    return service + "." + namespace;
  }

  /**
   * The EDS cluster of one subset of a service, and its ClusterLoadAssignment: {@code payments~v2.prod}. A
   * {@code ~} is in no label, so no service's cluster has this name; the {@code .prod} suffix is kept, so
   * what parses a cluster's namespace off its end still does.
   */
  public static String subsetCluster(String namespace, String service, String subset) {
    return service + "~" + subset + "." + namespace;
  }

  /** An Envoy egress listener for one client alias: {@code egress:payments:8080}. */
  public static String egressListener(String hostPort) {
    return "egress:" + hostPort;
  }

  /** The RDS route configuration behind an HTTP egress listener: {@code payments:8080}. */
  public static String route(String hostPort) {
    return hostPort;
  }

  /** The api_listener a proxyless client asks for with target {@code xds:///payments:8080}: {@code payments:8080}. */
  public static String apiListener(String hostPort) {
    return hostPort;
  }

  /** An Envoy ingress listener for a served service: {@code ingress:payments}. */
  public static String ingressListener(String service) {
    return "ingress:" + service;
  }

  /** The static cluster from an ingress listener to the app on 127.0.0.1: {@code local:payments}. */
  public static String localCluster(String service) {
    return "local:" + service;
  }

  /** The cluster to the OTLP/gRPC collector of a namespace's tracing: {@code otlp:prod}. */
  public static String collectorCluster(String namespace) {
    return "otlp:" + namespace;
  }

  /** The route configuration of an HTTP ingress listener (inline, named for the config dump). */
  public static String ingressRoute(String service) {
    return "ingress:" + service;
  }
}
