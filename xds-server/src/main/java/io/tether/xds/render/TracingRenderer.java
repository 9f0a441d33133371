package io.tether.xds.render;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.RequestIDExtension;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import io.envoyproxy.envoy.extensions.tracers.opentelemetry.resource_detectors.v3.EnvironmentResourceDetectorConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.v3.Percent;
import io.tether.model.Tracing;

/**
 * A namespace's tracing in its Envoy sidecars (README "Tracing"): one cluster to the OTLP/gRPC
 * collector, and on every HTTP connection manager the OpenTelemetry tracer with random sampling.
 * Proxyless clients get none of it: grpc-java has no xDS-configured tracing (docs/xds-clients.md).
 */
public final class TracingRenderer {
  private TracingRenderer() {}

  static final String OPENTELEMETRY = "envoy.tracers.opentelemetry";
  static final String ENVIRONMENT_DETECTOR = "envoy.tracers.opentelemetry.resource_detectors.environment";
  static final String UUID_REQUEST_ID = "envoy.request_id.uuid";

  /** The cluster to the collector: STATIC for an IP address, STRICT_DNS for a name; HTTP/2, as gRPC is. */
  public static Cluster collector(String namespace, Tracing tracing) {
    String name = ResourceNames.collectorCluster(namespace);
    HostAndPort address = tracing.collectorAddress();
    boolean ip = InetAddresses.isInetAddress(address.getHost());
    HttpProtocolOptions http2 = HttpProtocolOptions.newBuilder()
        .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
        .build();
    Cluster.Builder cluster = Cluster.newBuilder()
        .setName(name)
        .setType(ip ? Cluster.DiscoveryType.STATIC : Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(Protos.CONNECT_TIMEOUT)
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(name)
            .addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(Protos.socketAddress(address.getHost(), address.getPort()))))))
        .putTypedExtensionProtocolOptions(UpstreamProtocolOptions.KEY, Protos.any(http2));
    if (!ip) {
      cluster.setDnsLookupFamily(Cluster.DnsLookupFamily.V4_PREFERRED);
    }
    return cluster.build();
  }

  /**
   * An ingress connection manager with the namespace's tracing (none: unchanged): its spans are the
   * served service's, named in the config since an ingress listener serves one service.
   */
  static HttpConnectionManager ingress(HttpConnectionManager hcm, String namespace, Tracing tracing, String service) {
    if (tracing == null) {
      return hcm;
    }
    return traced(hcm, tracing, OpenTelemetryConfig.newBuilder()
        .setGrpcService(collectorService(namespace)).setServiceName(service).build());
  }

  /**
   * An egress connection manager with the namespace's tracing (none: unchanged). It is shared by every
   * caller of the namespace, so the caller's name cannot be in it: the environment resource detector
   * takes it from the {@code OTEL_RESOURCE_ATTRIBUTES} the agent starts Envoy with, over Envoy's
   * {@code unknown_service:envoy}.
   */
  static HttpConnectionManager egress(HttpConnectionManager hcm, String namespace, Tracing tracing) {
    if (tracing == null) {
      return hcm;
    }
    return traced(hcm, tracing, OpenTelemetryConfig.newBuilder()
        .setGrpcService(collectorService(namespace))
        .addResourceDetectors(TypedExtensionConfig.newBuilder().setName(ENVIRONMENT_DETECTOR)
            .setTypedConfig(Protos.any(EnvironmentResourceDetectorConfig.getDefaultInstance())))
        .build());
  }

  /**
   * Random sampling at the namespace's rate, decided on {@code x-request-id} (the same decision in every
   * sidecar a call crosses). The uuid request id extension with {@code pack_trace_reason} off, so that
   * Envoy never rewrites a nibble of {@code x-request-id} to carry that decision. Its other option,
   * {@code use_request_id_for_trace_sampling}, stays on: off, Envoy 1.40 traces every request whatever
   * the rate.
   */
  private static HttpConnectionManager traced(HttpConnectionManager hcm, Tracing tracing, OpenTelemetryConfig otel) {
    HttpConnectionManager.Tracing spans = HttpConnectionManager.Tracing.newBuilder()
        .setRandomSampling(Percent.newBuilder().setValue(tracing.samplingPercentOrDefault()))
        .setProvider(io.envoyproxy.envoy.config.trace.v3.Tracing.Http.newBuilder()
            .setName(OPENTELEMETRY).setTypedConfig(Protos.any(otel)))
        .build();
    UuidRequestIdConfig requestId = UuidRequestIdConfig.newBuilder().setPackTraceReason(BoolValue.of(false)).build();
    return hcm.toBuilder()
        .setTracing(spans)
        .setRequestIdExtension(RequestIDExtension.newBuilder().setTypedConfig(Protos.any(requestId)))
        .build();
  }

  private static GrpcService collectorService(String namespace) {
    return GrpcService.newBuilder()
        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(ResourceNames.collectorCluster(namespace)))
        .build();
  }
}
