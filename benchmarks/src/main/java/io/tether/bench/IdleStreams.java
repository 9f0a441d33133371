package io.tether.bench;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A child process that opens N ADS streams (as Envoy nodes of one namespace), takes CDS and the EDS of
 * every cluster, ACKs both, prints READY and then idles until its standard input closes. The parent
 * measures the server's heap with these streams open.
 * Usage: {@code IdleStreams PORT N TOKEN|- NAMESPACE}.
 */
public final class IdleStreams {
  private static final int STREAMS_PER_CHANNEL = 100;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    String token = args[2];
    String namespace = args[3];
    CountDownLatch ready = new CountDownLatch(n);
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i % STREAMS_PER_CHANNEL == 0) {
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
      }
      open(channels.get(channels.size() - 1), token, namespace, "idle-" + i, ready);
    }
    ready.await();
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // idle until the parent closes our input
    }
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private static void open(ManagedChannel channel, String token, String namespace, String nodeId, CountDownLatch ready) {
    Metadata headers = new Metadata();
    if (!token.equals("-")) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    }
    Node node = Node.newBuilder().setId(nodeId).setCluster("idle").setUserAgentName("envoy")
        .setMetadata(Struct.newBuilder().putFields("namespace", Value.newBuilder().setStringValue(namespace).build()))
        .build();
    AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    StreamObserver<DiscoveryRequest>[] requests = new StreamObserver[1];
    requests[0] = stub.streamAggregatedResources(new StreamObserver<>() {
      private boolean counted;
      private List<String> clusters = List.of();

      @Override
      public void onNext(DiscoveryResponse response) {
        DiscoveryRequest.Builder ack = DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(response.getTypeUrl())
            .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce());
        if (response.getTypeUrl().equals(Resources.V3.CLUSTER_TYPE_URL)) {
          synchronized (this) {
            requests[0].onNext(ack.build());
            DiscoveryRequest.Builder eds = DiscoveryRequest.newBuilder().setNode(node)
                .setTypeUrl(Resources.V3.ENDPOINT_TYPE_URL);
            clusters = names(response);
            requests[0].onNext(eds.addAllResourceNames(clusters).build());
          }
        } else if (response.getTypeUrl().equals(Resources.V3.ENDPOINT_TYPE_URL)) {
          synchronized (this) {
            requests[0].onNext(ack.addAllResourceNames(clusters).build()); // an ACK repeats the subscription
            if (!counted) {
              counted = true;
              ready.countDown();
            }
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        System.err.println(nodeId + ": " + t);
      }

      @Override
      public void onCompleted() {
      }
    });
    requests[0].onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(Resources.V3.CLUSTER_TYPE_URL).build());
  }

  private static List<String> names(DiscoveryResponse response) {
    return response.getResourcesList().stream().map(Resources::getResourceName).toList();
  }
}
