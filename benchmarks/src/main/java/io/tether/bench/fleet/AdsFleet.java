package io.tether.bench.fleet;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A child process holding N ADS streams as N Envoy sidecars of the agent would (benchmarks/README.md
 * "ScaleBenchmark"): each its own node (id, user agent {@code envoy}, the agent's client-only metadata),
 * state-of-the-world or delta, CDS → SDS and EDS → LDS → RDS, every response ACKed. What a real Envoy
 * costs and this does not: a process, a connection per node (here {@code --per-connection} streams share
 * one), and applying the config. The streams share one Netty event loop group and run their callbacks
 * on it, so a stream costs its HTTP/2 stream and the resources it holds.
 *
 * <p>Protocol: prints {@code READY <ms>} on stdout once every stream has its first config, then answers
 * each {@code stats} line on stdin with a {@link FleetStats#line()}, and {@code await-ready MS} with
 * {@code ALLREADY <wall-clock ms the last stream became ready, -1 if not all within MS> <stats>} once every
 * stream is ready at the same time (after a server restart, say); exits when stdin closes. A stream that
 * breaks comes back as Envoy's does ({@link Redial}).
 */
@Command(name = "ads-fleet", mixinStandardHelpOptions = true)
public final class AdsFleet implements Callable<Integer> {
  @Option(names = "--port", required = true)
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--streams", required = true)
  int streams;

  @Option(names = "--per-connection", defaultValue = "1", description = "streams sharing one HTTP/2 connection")
  int perConnection;

  @Option(names = "--token", description = "bearer token (none: no authorization header)")
  String token;

  @Option(names = "--namespace", required = true)
  String namespace;

  @Option(names = "--delta", description = "incremental ADS (DELTA_GRPC, the agent's default) instead of SotW")
  boolean delta;

  @Option(names = "--node-on-first-message-only", description = "send the node on a stream's first request only, "
      + "as the agent's Envoy bootstraps do (set_node_on_first_message_only); the stock cache needs it on every one")
  boolean nodeOnFirstOnly;

  @Option(names = "--id-prefix", defaultValue = "fleet")
  String idPrefix;

  @Option(names = "--threads", defaultValue = "2", description = "Netty event loop threads")
  int threads;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AdsFleet()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    EventLoopGroup loop = new NioEventLoopGroup(threads, new DefaultThreadFactory("fleet", true));
    FleetStats stats = new FleetStats(streams);
    List<ManagedChannel> channels = new ArrayList<>();
    long started = System.nanoTime();
    AggregatedDiscoveryServiceStub stub = null;
    ManagedChannel channel = null;
    for (int i = 0; i < streams; i++) {
      if (i % perConnection == 0) {
        channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().eventLoopGroup(loop)
            .channelType(NioSocketChannel.class).directExecutor().maxInboundMessageSize(64 << 20).build();
        channels.add(channel);
        stub = withToken(AggregatedDiscoveryServiceGrpc.newStub(channel));
      }
      Node node = node(idPrefix + "-" + i);
      Redial redial = new Redial(channel, stub, loop);
      if (delta) {
        new DeltaStream(node, nodeOnFirstOnly, stats).start(redial);
      } else {
        new SotwStream(node, nodeOnFirstOnly, stats).start(redial);
      }
    }
    while (!stats.awaitSettled(5_000)) {
      System.err.println("fleet: " + stats.line());
    }
    System.out.println("READY " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " " + stats.line());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.strip().split(" ");
      if (words[0].equals("stats")) {
        System.out.println(stats.line());
      } else if (words[0].equals("await-ready")) {
        System.out.println("ALLREADY " + stats.awaitAllReady(Long.parseLong(words[1])) + " " + stats.line());
      }
      System.out.flush();
    }
    channels.forEach(ManagedChannel::shutdownNow);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return 0;
  }

  private AggregatedDiscoveryServiceStub withToken(AggregatedDiscoveryServiceStub stub) {
    if (token == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /**
   * One SotW stream of a client-only Envoy node of {@code namespace} against {@code port}, on a channel of
   * its own: what keeps a group rendered (the stock arm's feeder). Closing it closes the channel.
   */
  public static AutoCloseable one(int port, String token, String namespace, String id) {
    AdsFleet f = new AdsFleet();
    f.token = token;
    f.namespace = namespace;
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    new SotwStream(f.node(id), false, new FleetStats(1)).start(f.withToken(AggregatedDiscoveryServiceGrpc.newStub(channel)));
    return channel::shutdownNow;
  }

  /** A node as the agent's client-only sidecar bootstrap has it (agent/bootstrap/EnvoyBootstrap). */
  private Node node(String id) {
    Struct metadata = Struct.newBuilder()
        .putFields("namespace", Value.newBuilder().setStringValue(namespace).build())
        .putFields("mode", Value.newBuilder().setStringValue("client-only").build())
        .putFields("services", Value.newBuilder().setListValue(ListValue.getDefaultInstance()).build())
        .build();
    return Node.newBuilder().setId(id).setCluster("fleet").setUserAgentName("envoy").setMetadata(metadata).build();
  }
}
