package io.tether.xds.render;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;

/** Small proto values every renderer needs; one spelling of each so equal input gives equal bytes. */
final class Protos {
  private Protos() {}

  /** Connection attempts to an upstream fail after this; short, because a healthy replica accepts at once. */
  static final Duration CONNECT_TIMEOUT = Durations.fromSeconds(5);

  static Duration seconds(long seconds) {
    return Durations.fromSeconds(seconds);
  }

  static Duration millis(long millis) {
    return Durations.fromMillis(millis);
  }

  static UInt32Value uint32(int value) {
    return UInt32Value.of(value);
  }

  static Any any(Message message) {
    return Any.pack(message);
  }

  /**
   * Everything comes over the node's one ADS stream. grpc-java accepts only {@code ads} or {@code self}
   * here, and V3 must be explicit or Envoy asks in the v2 type URLs.
   */
  static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }

  static io.envoyproxy.envoy.config.core.v3.Address socketAddress(String ip, int port) {
    return io.envoyproxy.envoy.config.core.v3.Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
        .build();
  }

  /**
   * A stat prefix from a resource name. Envoy splits stat names on '.', and ':' does not survive
   * Prometheus export, so both become '_' ({@code egress:payments:8080} -> {@code egress_payments_8080}).
   */
  static String statPrefix(String resourceName) {
    StringBuilder out = new StringBuilder(resourceName.length());
    for (char c : resourceName.toCharArray()) {
      out.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
    }
    return out.toString();
  }
}
