package io.tether.bench;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Stream callbacks that timestamp, per stream, the last ACK of an EDS response: when a client has
 * taken an endpoint update in (grpc-java ACKs after it parsed and applied the resources).
 */
final class AckClock implements DiscoveryServerCallbacks {
  private final ConcurrentMap<Long, String> lastNonce = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, Long> lastAck = new ConcurrentHashMap<>();

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(request.getTypeUrl()) && !request.hasErrorDetail()
        && !request.getResponseNonce().isEmpty() && request.getResponseNonce().equals(lastNonce.get(streamId))) {
      lastAck.put(streamId, System.nanoTime());
    }
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(response.getTypeUrl())) {
      lastNonce.put(streamId, response.getNonce());
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    forget(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    forget(streamId);
  }

  /** Streams that have ACKed any EDS response. */
  int streamsWithAck() {
    return lastAck.size();
  }

  /** The EDS ACK times after {@code since} (nanoTime), one per stream that has ACKed since then. */
  List<Long> acksSince(long since) {
    return lastAck.values().stream().filter(t -> t > since).toList();
  }

  void reset() {
    lastAck.clear();
    lastNonce.clear();
  }

  private void forget(long streamId) {
    lastNonce.remove(streamId);
    lastAck.remove(streamId);
  }
}
