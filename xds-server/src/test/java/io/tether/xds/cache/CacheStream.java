package io.tether.xds.cache;

import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client stream on a {@link TetherCache}, driven as java-control-plane drives it: the ADS layer
 * hands the stream over, then a watch is created per request with real java-control-plane requests;
 * responses land in {@link #responses} / {@link #deltas}.
 */
final class CacheStream {
  private static long nextId = 1;

  final long id;
  final TetherCache cache;
  final List<Response> responses = new ArrayList<>();
  final List<DeltaResponse> deltas = new ArrayList<>();
  Watch watch;
  /** Runs on the publishing thread, under the group's lock, after each response is recorded. */
  Runnable onResponse = () -> { };

  CacheStream(TetherCache cache, GroupKey group, String nodeId) {
    this(cache, group, nodeId, false);
  }

  CacheStream(TetherCache cache, GroupKey group, String nodeId, boolean delta) {
    this.cache = cache;
    this.id = nextId++;
    cache.open(id);
    cache.identify(id, new NodeIdentity(nodeId, "cluster", "test", "client-and-server", group), delta);
  }

  /** Another type's watches on the same ADS stream: own watch and responses, same stream state. */
  CacheStream(CacheStream same) {
    this.cache = same.cache;
    this.id = same.id;
  }

  /** A first request (no nonce) for names of a type; no names is a wildcard. */
  Watch request(String typeUrl, String version, String... names) {
    return send(DiscoveryRequest.newBuilder().setTypeUrl(typeUrl).setVersionInfo(version)
        .addAllResourceNames(List.of(names)).build());
  }

  /** ACKs the last response (the request that follows it, naming the same resources). */
  Watch ack(String... names) {
    Response last = last();
    return send(DiscoveryRequest.newBuilder().setTypeUrl(last.request().getTypeUrl()).setVersionInfo(last.version())
        .setResponseNonce("n" + responses.size()).addAllResourceNames(List.of(names)).build());
  }

  /** NACKs the last response: the previous version stays, with an error detail. */
  Watch nack(String previousVersion, String message, String... names) {
    Response last = last();
    return send(DiscoveryRequest.newBuilder().setTypeUrl(last.request().getTypeUrl()).setVersionInfo(previousVersion)
        .setResponseNonce("n" + responses.size()).addAllResourceNames(List.of(names))
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message)).build());
  }

  /** A delta request: java-control-plane's tracked (name -> version held) and pending names; a nonce ACKs. */
  DeltaWatch deltaRequest(String typeUrl, Map<String, String> tracked, Set<String> pending, boolean wildcard,
      String nonce) {
    return delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl).setResponseNonce(nonce), tracked, pending,
        wildcard);
  }

  /** NACKs the last delta response: the client keeps tracking what it held. */
  DeltaWatch deltaNack(String typeUrl, Map<String, String> tracked, String nonce, String message) {
    return delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl).setResponseNonce(nonce)
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message)), tracked, Set.of(), true);
  }

  private DeltaWatch delta(DeltaDiscoveryRequest.Builder r, Map<String, String> tracked, Set<String> pending,
      boolean wildcard) {
    cache.handOver(id);
    return cache.createDeltaWatch(DeltaXdsRequest.create(r.build()), "", tracked, pending, wildcard,
        this::deltaResponse, false);
  }

  DeltaResponse lastDelta() {
    return deltas.get(deltas.size() - 1);
  }

  Watch send(DiscoveryRequest request) {
    if (watch != null) {
      watch.cancel();
    }
    cache.handOver(id);
    watch = cache.createWatch(true, XdsRequest.create(request), Set.of(), this::response, false, false);
    return watch;
  }

  private void response(Response r) {
    responses.add(r);
    onResponse.run();
  }

  private void deltaResponse(DeltaResponse r) {
    deltas.add(r);
    onResponse.run();
  }

  Response last() {
    return responses.get(responses.size() - 1);
  }

  static List<String> names(Response r) {
    return r.resources().stream().map(m -> Resources.getResourceName((Message) m)).sorted().toList();
  }

  void close() {
    if (watch != null) {
      watch.cancel();
    }
    cache.close(id);
  }
}
