package io.tether.xds.render;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.tether.model.AppProtocol;
import io.tether.model.Timeout;
import java.util.Map;

/**
 * The HTTP version and idle timeout of a cluster's upstream connections, through
 * {@code typed_extension_protocol_options}: the v3 replacement of the deprecated
 * {@code Cluster.http2_protocol_options} and {@code Cluster.common_http_protocol_options}.
 */
final class UpstreamProtocolOptions {
  private UpstreamProtocolOptions() {}

  /** The key Envoy looks the options up under: the options' own type name. */
  static final String KEY = HttpProtocolOptions.getDescriptor().getFullName();

  /**
   * Empty for tcp: a cluster behind tcp_proxy speaks no HTTP. http2 and grpc must be HTTP/2 upstream
   * (gRPC does not work over HTTP/1.1), http stays HTTP/1.1 whatever the caller spoke.
   */
  static Map<String, Any> forProtocol(AppProtocol protocol, Timeout timeout) {
    if (!protocol.isHttp()) {
      return Map.of();
    }
    HttpProtocolOptions.ExplicitHttpConfig.Builder version = HttpProtocolOptions.ExplicitHttpConfig.newBuilder();
    if (protocol.needsHttp2()) {
      version.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
    } else {
      version.setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance());
    }
    HttpProtocolOptions options = HttpProtocolOptions.newBuilder()
        .setCommonHttpProtocolOptions(TimeoutPolicy.connectionIdle(timeout))
        .setExplicitHttpConfig(version)
        .build();
    return Map.of(KEY, Protos.any(options));
  }
}
