package io.tether.conformance;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.tether.agent.bootstrap.BootstrapSpec;
import io.tether.agent.bootstrap.GrpcBootstrap;
import io.tether.agent.certs.CertificateFiles;
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
  private final ChannelCredentials credentials;

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
    this("test-client-" + UUID.randomUUID(), Map.of(
        "xds_servers", List.of(Map.of(
            "server_uri", "127.0.0.1:" + xdsPort,
            "channel_creds", List.of(channelCreds),
            "server_features", List.of("xds_v3"))),
        "node", Map.of("id", "unused", "metadata", Map.of("namespace", namespace))), InsecureChannelCredentials.create());
  }

  /**
   * A proxyless app as {@code tether agent run --proxyless --certs-dir} sets it up: the agent's own
   * bootstrap ({@link GrpcBootstrap}, with the {@code tether} file_watcher provider over {@code certs}),
   * and channels with {@code XdsChannelCredentials} over insecure ones, without which grpc-java ignores
   * the clusters' TLS (docs/security.md "Proxyless gRPC").
   */
  static XdsClient withCertificates(int xdsPort, String namespace, String token, CertificateFiles certs) {
    String id = "test-client-" + UUID.randomUUID();
    BootstrapSpec spec = new BootstrapSpec(id, namespace, namespace, List.of(), "127.0.0.1", xdsPort, token, 0, null);
    return new XdsClient(id, GrpcBootstrap.render(spec, certs),
        XdsChannelCredentials.create(InsecureChannelCredentials.create()));
  }

  /**
   * A proxyless app in {@code zone} as {@code tether agent run --proxyless --zone} sets it up: the agent's
   * own bootstrap ({@link GrpcBootstrap}), whose node has the standard {@code locality.zone}.
   */
  static XdsClient inZone(int xdsPort, String namespace, String token, String zone) {
    String id = "test-client-" + UUID.randomUUID();
    BootstrapSpec spec = new BootstrapSpec(id, namespace, namespace, List.of(), "127.0.0.1", xdsPort, token, 0, null)
        .withZone(zone);
    return new XdsClient(id, GrpcBootstrap.render(spec), InsecureChannelCredentials.create());
  }

  private XdsClient(String nodeId, Map<String, ?> bootstrap, ChannelCredentials credentials) {
    this.nodeId = nodeId;
    this.scheme = "xds" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    this.credentials = credentials;
    resolvers.register(XdsNameResolverProvider.createForTest(scheme, withNodeId(bootstrap, nodeId)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> withNodeId(Map<String, ?> bootstrap, String nodeId) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(bootstrap);
    Map<String, Object> node = new java.util.LinkedHashMap<>((Map<String, Object>) bootstrap.get("node"));
    node.put("id", nodeId);
    out.put("node", node);
    return out;
  }

  /** A channel to {@code host:port} resolved through xDS. */
  ManagedChannel channel(String hostPort) {
    ManagedChannel ch = Grpc.newChannelBuilder(scheme + ":///" + hostPort, credentials)
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

  /** One call of {@code method} with these metadata entries (ASCII), bounded by our own deadline. */
  static String call(Channel channel, io.grpc.MethodDescriptor<String, String> method, Map<String, String> metadata,
      long timeoutMs) {
    io.grpc.Metadata headers = new io.grpc.Metadata();
    metadata.forEach((k, v) -> headers.put(io.grpc.Metadata.Key.of(k, io.grpc.Metadata.ASCII_STRING_MARSHALLER), v));
    Channel withHeaders = io.grpc.ClientInterceptors.intercept(channel,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    return ClientCalls.blockingUnaryCall(withHeaders, method,
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
