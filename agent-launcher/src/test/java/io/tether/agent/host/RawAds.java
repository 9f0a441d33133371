package io.tether.agent.host;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw ADS client (state of the world) for the relay tests: one real gRPC stream as an Envoy node of
 * namespace {@code a}, client-only, with or without a bearer token. It sends what the test tells it and
 * queues what the server answers; {@link #closed} completes with the stream's final status.
 */
final class RawAds implements AutoCloseable {
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  final String nodeId;
  final CompletableFuture<Status> closed = new CompletableFuture<>();
  private final ManagedChannel channel;
  private final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<DiscoveryRequest> requests;

  /** @param token sent as {@code authorization: Bearer …}, or null for none */
  RawAds(int port, String token, String nodeId) {
    this.nodeId = nodeId;
    this.channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
    AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    stub.streamAggregatedResources(new Collector());
  }

  /** The first request for a type: every resource of it. */
  void subscribe(String typeUrl) {
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).setNode(node()).build());
  }

  /** Accepts a response: its version and nonce echoed, every resource still wanted. */
  void ack(DiscoveryResponse r) {
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setVersionInfo(r.getVersionInfo())
        .setResponseNonce(r.getNonce()).setNode(node()).build());
  }

  private Node node() {
    Struct metadata = Struct.newBuilder()
        .putFields("namespace", Value.newBuilder().setStringValue("a").build())
        .putFields("mode", Value.newBuilder().setStringValue("client-only").build()).build();
    return Node.newBuilder().setId(nodeId).setCluster("relay-test").setUserAgentName("envoy")
        .setUserAgentVersion("1.40.0").setMetadata(metadata).build();
  }

  /** The next response; fails after the timeout, saying how the stream ended if it did. */
  DiscoveryResponse next(Duration timeout) throws InterruptedException {
    DiscoveryResponse r = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no response within " + timeout.toMillis() + " ms"
          + (closed.isDone() ? "; the stream ended with " + closed.join() : ""));
    }
    return r;
  }

  /** The stream's final status; fails if it is still open after the timeout. */
  Status awaitClosed(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Cancels the stream, as a client that goes away does. */
  void cancel() {
    requests.cancel("the test cancels", null);
  }

  static List<String> names(DiscoveryResponse r) {
    return r.getResourcesList().stream().map(any -> {
      try {
        return any.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Collector implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> stream) {
      requests = stream;
    }

    @Override
    public void onNext(DiscoveryResponse value) {
      responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
      closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closed.complete(Status.OK);
    }
  }
}
