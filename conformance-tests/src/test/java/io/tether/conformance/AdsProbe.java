package io.tether.conformance;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw ADS client for protocol-level tests: one real gRPC stream (state-of-the-world or delta) to
 * the xDS server, authenticated with a bearer token, as a given node. It sends exactly the requests
 * a test tells it to, and collects every response, per type URL, in a {@link BlockingQueue}, so a
 * test can assert on what the server sent and, with a later change as a barrier, on what it did not
 * send: the stream is ordered, so when the next response is the later change's, nothing came between.
 *
 * <p>ACK and NACK follow the xDS protocol as Envoy speaks it: an ACK echoes the response's
 * version_info and nonce; a NACK echoes the nonce, carries the last version the client accepted and
 * an error_detail. The messages themselves (nodes, resources by name): {@link XdsMessages}.
 */
final class AdsProbe implements AutoCloseable {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final List<String> TYPES = List.of(LDS, RDS, CDS, EDS);

  /** The user agent names the server tells client kinds apart by. */
  static final String ENVOY = "envoy";
  static final String GRPC_JAVA = "gRPC Java";

  final Node node;
  final int port;
  final String token;
  private final ManagedChannel channel;
  private final AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub;
  private final Map<String, BlockingQueue<DiscoveryResponse>> responses = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<DeltaDiscoveryResponse>> deltaResponses = new ConcurrentHashMap<>();
  /** Completes with the stream's final status (OK when the server completed it). */
  final CompletableFuture<io.grpc.Status> closed = new CompletableFuture<>();
  /** The last version the client accepted, per type: what a NACK carries. */
  private final Map<String, String> accepted = new ConcurrentHashMap<>();
  private StreamObserver<DiscoveryRequest> sotw;
  private StreamObserver<DeltaDiscoveryRequest> delta;

  AdsProbe(int port, String token, Node node) {
    this(port, token, node, InsecureChannelCredentials.create());
  }

  /** A probe over the given channel credentials (e.g. TLS, with or without a client certificate). */
  AdsProbe(int port, String token, Node node, io.grpc.ChannelCredentials credentials) {
    this.port = port;
    this.token = token;
    this.node = node;
    this.channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
    Metadata headers = new Metadata();
    if (token != null) { // none: the client authenticates with its TLS certificate
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    }
    this.stub = AggregatedDiscoveryServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  // ---- state of the world ----

  /** Sends one DiscoveryRequest on the (lazily opened) SotW stream. */
  synchronized void send(String typeUrl, String versionInfo, String nonce, Collection<String> names, String error) {
    if (sotw == null) {
      sotw = stub.streamAggregatedResources(new Collector<>(r -> {
        received.computeIfAbsent(r.getTypeUrl(), t -> new AtomicInteger()).incrementAndGet();
        queue(r.getTypeUrl()).add(r);
      }));
    }
    DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).setVersionInfo(versionInfo)
        .setResponseNonce(nonce).addAllResourceNames(names);
    b.setNode(node); // on every request, as Envoy with set_node_on_first_message_only: false
    if (error != null) {
      b.setErrorDetail(Status.newBuilder().setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value()).setMessage(error));
    }
    sotw.onNext(b.build());
  }

  /** The first request for a type: no version, no nonce. */
  void subscribe(String typeUrl, Collection<String> names) {
    send(typeUrl, "", "", names, null);
  }

  /** Accepts a response: echoes its version and nonce with the names still wanted. */
  void ack(DiscoveryResponse r, Collection<String> names) {
    accepted.put(r.getTypeUrl(), r.getVersionInfo());
    send(r.getTypeUrl(), r.getVersionInfo(), r.getNonce(), names, null);
  }

  /** Rejects a response: its nonce, the last version accepted (not the rejected one), and why. */
  void nack(DiscoveryResponse r, Collection<String> names, String error) {
    send(r.getTypeUrl(), accepted.getOrDefault(r.getTypeUrl(), ""), r.getNonce(), names, error);
  }

  /**
   * Subscribes to each type of {@code names} (type URL to resource names, in that order), then takes and
   * ACKs the first response of each; returns them by type.
   */
  Map<String, DiscoveryResponse> subscribeAndAckAll(Map<String, List<String>> names, Duration timeout) {
    Map<String, DiscoveryResponse> out = new java.util.LinkedHashMap<>();
    names.forEach(this::subscribe);
    for (String type : names.keySet()) {
      DiscoveryResponse r = next(type, timeout);
      ack(r, names.get(type));
      out.put(type, r);
    }
    return out;
  }

  BlockingQueue<DiscoveryResponse> queue(String typeUrl) {
    return responses.computeIfAbsent(typeUrl, t -> new LinkedBlockingQueue<>());
  }

  /** The next response of a type, or null after the timeout. */
  DiscoveryResponse poll(String typeUrl, Duration timeout) {
    try {
      return queue(typeUrl).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The next response of a type; fails after the timeout. */
  DiscoveryResponse next(String typeUrl, Duration timeout) {
    DiscoveryResponse r = poll(typeUrl, timeout);
    if (r == null) {
      throw new AssertionError("no " + XdsMessages.shortType(typeUrl) + " response within " + timeout.toMillis() + " ms"
          + (closed.isDone() ? "; the stream ended with " + closed.join() : ""));
    }
    return r;
  }

  /** How many responses of a type arrived on this stream in all. */
  int received(String typeUrl) {
    AtomicInteger n = received.get(typeUrl);
    return n == null ? 0 : n.get();
  }

  // ---- delta ----

  /** Sends one DeltaDiscoveryRequest on the (lazily opened) delta stream. */
  synchronized void sendDelta(String typeUrl, Collection<String> subscribe, Collection<String> unsubscribe,
      String nonce, String error) {
    if (delta == null) {
      delta = stub.deltaAggregatedResources(new Collector<>(r -> deltaQueue(r.getTypeUrl()).add(r)));
    }
    DeltaDiscoveryRequest.Builder b = DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(typeUrl)
        .addAllResourceNamesSubscribe(subscribe).addAllResourceNamesUnsubscribe(unsubscribe).setResponseNonce(nonce);
    if (error != null) {
      b.setErrorDetail(Status.newBuilder().setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value()).setMessage(error));
    }
    delta.onNext(b.build());
  }

  void deltaAck(DeltaDiscoveryResponse r) {
    sendDelta(r.getTypeUrl(), List.of(), List.of(), r.getNonce(), null);
  }

  BlockingQueue<DeltaDiscoveryResponse> deltaQueue(String typeUrl) {
    return deltaResponses.computeIfAbsent(typeUrl, t -> new LinkedBlockingQueue<>());
  }

  /** The next delta response of a type; fails after the timeout. */
  DeltaDiscoveryResponse nextDelta(String typeUrl, Duration timeout) {
    DeltaDiscoveryResponse r = pollDelta(typeUrl, timeout);
    if (r == null) {
      throw new AssertionError("no delta " + XdsMessages.shortType(typeUrl) + " response within " + timeout.toMillis() + " ms"
          + (closed.isDone() ? "; the stream ended with " + closed.join() : ""));
    }
    return r;
  }

  /** The next delta response of a type, or null after the timeout. */
  DeltaDiscoveryResponse pollDelta(String typeUrl, Duration timeout) {
    try {
      return deltaQueue(typeUrl).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Everything still queued, of every type: what a "nothing more was sent" assertion reports. */
  List<String> pending() {
    List<String> out = new ArrayList<>();
    responses.forEach((t, q) -> q.forEach(r -> out.add(XdsMessages.shortType(t) + " v" + r.getVersionInfo() + " "
        + XdsMessages.resources(r).keySet())));
    deltaResponses.forEach((t, q) -> q.forEach(r -> out.add("delta " + XdsMessages.shortType(t) + " " + XdsMessages.resources(r).keySet()
        + " removed " + r.getRemovedResourcesList())));
    return out;
  }

  /** Half-closes the stream(s), as a client going away cleanly would, and closes the channel. */
  @Override
  public void close() {
    synchronized (this) {
      try {
        if (sotw != null) {
          sotw.onCompleted();
        }
        if (delta != null) {
          delta.onCompleted();
        }
      } catch (RuntimeException e) {
        // already closed
      }
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Collector<T> implements StreamObserver<T> {
    private final java.util.function.Consumer<T> sink;

    Collector(java.util.function.Consumer<T> sink) {
      this.sink = sink;
    }

    @Override
    public void onNext(T value) {
      sink.accept(value);
    }

    @Override
    public void onError(Throwable t) {
      closed.complete(io.grpc.Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closed.complete(io.grpc.Status.OK);
    }
  }
}
