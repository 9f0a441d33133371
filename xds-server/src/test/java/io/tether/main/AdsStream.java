package io.tether.main;

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
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/** One real ADS stream, as an Envoy sidecar of a namespace, subscribed to clusters: a proxy for /v1/proxies to show. */
final class AdsStream implements AutoCloseable {
  private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  private final ManagedChannel channel;

  AdsStream(int xdsPort, String token, String namespace, String nodeId) {
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", xdsPort, InsecureChannelCredentials.create()).build();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .streamAggregatedResources(new StreamObserver<DiscoveryResponse>() {
          @Override
          public void onNext(DiscoveryResponse response) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    Struct metadata = Struct.newBuilder()
        .putFields("namespace", Value.newBuilder().setStringValue(namespace).build()).build();
    Node node = Node.newBuilder().setId(nodeId).setCluster("openapi").setUserAgentName("envoy")
        .setUserAgentVersion("1.40.0").setMetadata(metadata).build();
    requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CDS).build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
