package io.tether.conformance;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A stock grpc-java xDS client with a bootstrap of its own (its own node id, namespace and token),
 * calling {@code xds:///host:port} targets as a proxyless app would. grpc-java keeps one xDS client per
 * target, so each instance uses its own scheme to get its own ADS stream.
 */
final class XdsClient implements AutoCloseable {
  final String nodeId;
  private final String scheme;
  private final NameResolverRegistry resolvers = new NameResolverRegistry();
  private final List<ManagedChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();

  XdsClient(int xdsPort, String namespace, String token) {
    this(xdsPort, namespace, Map.of("type", "tether-bearer", "config", Map.of("token", token)));
  }

  /**
   * A client with stock {@code insecure} channel credentials and no token, as every gRPC language's xDS
   * client can be configured: for a host's local ADS relay, which adds the host's credential.
   */
  static XdsClient insecure(int xdsPort, String namespace) {
    return new XdsClient(xdsPort, namespace, Map.of("type", "insecure"));
  }

  private XdsClient(int xdsPort, String namespace, Map<String, ?> channelCreds) {
    this.nodeId = "test-client-" + UUID.randomUUID();
    this.scheme = "xds" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Map<String, ?> bootstrap = Map.of(
        "xds_servers", List.of(Map.of(
            "server_uri", "127.0.0.1:" + xdsPort,
            "channel_creds", List.of(channelCreds),
            "server_features", List.of("xds_v3"))),
        "node", Map.of("id", nodeId, "metadata", Map.of("namespace", namespace)));
    resolvers.register(XdsNameResolverProvider.createForTest(scheme, bootstrap));
  }

  /** A channel to {@code host:port} resolved through xDS. */
  ManagedChannel channel(String hostPort) {
    ManagedChannel ch = Grpc.newChannelBuilder(scheme + ":///" + hostPort, InsecureChannelCredentials.create())
        .nameResolverFactory(resolvers.asFactory())
        .build();
    channels.add(ch);
    return ch;
  }

  /** One call, bounded by our own deadline (grpc-java's outlier-detection defect can hang calls). */
  static String call(Channel channel, long timeoutMs) {
    return ClientCalls.blockingUnaryCall(channel, EchoBackend.CALL,
        CallOptions.DEFAULT.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS), "hello");
  }

  /** The call's answer, or the status code name when it failed. */
  static String tryCall(Channel channel, long timeoutMs) {
    try {
      return call(channel, timeoutMs);
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
