package io.tether.xds.render;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * Every message type the renderer packs into an {@code Any}, plus the four resource types: what a
 * JSON printer or validator needs to see through typed_config and friends (e.g. a config dump).
 * A renderer change that packs a new type must add it here; the tests fail on an Any they cannot open.
 */
public final class RenderedTypes {
  private RenderedTypes() {}

  public static final List<Descriptor> DESCRIPTORS = List.of(
      Cluster.getDescriptor(),
      ClusterLoadAssignment.getDescriptor(),
      Listener.getDescriptor(),
      RouteConfiguration.getDescriptor(),
      HttpConnectionManager.getDescriptor(),
      Router.getDescriptor(),
      TcpProxy.getDescriptor(),
      HttpProtocolOptions.getDescriptor(),
      StdoutAccessLog.getDescriptor(),
      PreviousHostsPredicate.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
      io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
      DownstreamTlsContext.getDescriptor(),
      UpstreamTlsContext.getDescriptor(),
      TlsInspector.getDescriptor(),
      io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig.getDescriptor(),
      io.envoyproxy.envoy.extensions.tracers.opentelemetry.resource_detectors.v3.EnvironmentResourceDetectorConfig
          .getDescriptor(),
      io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig.getDescriptor());

  public static TypeRegistry typeRegistry() {
    return TypeRegistry.newBuilder().add(DESCRIPTORS).build();
  }
}
