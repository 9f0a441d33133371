package io.tether.bench;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.stub.ClientCalls;
import io.grpc.xds.XdsNameResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A stock grpc-java xDS client of its own (own node id and ADS stream, via its own resolver scheme)
 * with one channel to a {@code host:port} target, connected so that it subscribes LDS, CDS and EDS.
 */
final class GrpcXdsClient implements AutoCloseable {
  private final ManagedChannel channel;

  /** A client whose first call has succeeded: the target's endpoints must serve {@link Echo}. */
  GrpcXdsClient(int xdsPort, String namespace, String token, String target) {
    this(channel(xdsPort, namespace, token, target));
    // One call, as an app makes: it resolves the target and subscribes LDS, CDS and EDS. A channel that
    // never calls lets grpc-java drop its xDS subscription again.
    ClientCalls.blockingUnaryCall(channel, Echo.METHOD, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
        "hello");
  }

  private GrpcXdsClient(ManagedChannel channel) {
    this.channel = channel;
  }

  /**
   * A client that has started one call and does not wait for it: it subscribes all the same, and the
   * call may fail, for endpoints that serve nothing (the scale benchmark's). The channel never goes idle,
   * so it keeps its subscription after the call has failed.
   */
  static GrpcXdsClient subscribing(int xdsPort, String namespace, String token, String target) {
    GrpcXdsClient client = new GrpcXdsClient(channel(xdsPort, namespace, token, target));
    ClientCalls.futureUnaryCall(client.channel.newCall(Echo.METHOD,
        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)), "hello");
    return client;
  }

  private static ManagedChannel channel(int xdsPort, String namespace, String token, String target) {
    String scheme = "x" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    List<Map<String, Object>> creds = token == null
        ? List.of(Map.of("type", "insecure"))
        : List.of(Map.of("type", "tether-bearer", "config", Map.of("token", token)));
    Map<String, ?> bootstrap = Map.of(
        "xds_servers", List.of(Map.of("server_uri", "127.0.0.1:" + xdsPort, "channel_creds", creds,
            "server_features", List.of("xds_v3"))),
        "node", Map.of("id", "bench-" + scheme, "metadata", Map.of("namespace", namespace)));
    NameResolverRegistry resolvers = new NameResolverRegistry();
    resolvers.register(XdsNameResolverProvider.createForTest(scheme, bootstrap));
    return Grpc.newChannelBuilder(scheme + ":///" + target, InsecureChannelCredentials.create())
        .nameResolverFactory(resolvers.asFactory()).idleTimeout(30, TimeUnit.DAYS).build();
  }

  String state() {
    return channel.getState(false).name();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
