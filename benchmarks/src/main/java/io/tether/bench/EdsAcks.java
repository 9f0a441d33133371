package io.tether.bench;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Server callbacks that time, for one write at a time, each stream's first ACK of an EDS response after
 * the write began ({@link #begin}), over state-of-the-world and delta alike: an ACK is a request of the
 * EDS type whose nonce is the stream's last EDS response's, without error detail. Counting is O(1) per
 * ACK, so waiting for 10,000 streams costs nothing per stream.
 */
final class EdsAcks implements DiscoveryServerCallbacks {
  private final ConcurrentMap<Long, String> lastNonce = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, Long> ackedEpoch = new ConcurrentHashMap<>();
  private final Set<Long> subscribed = ConcurrentHashMap.newKeySet();
  private final Recorder latencies = new Recorder(3);
  private volatile long epochStart = Long.MAX_VALUE;
  private volatile long epoch;
  private int acked; // guarded by this

  /** Starts timing a write: from now on each stream's first EDS ACK counts, once. */
  synchronized void begin() {
    acked = 0;
    latencies.reset();
    epoch++;
    epochStart = System.nanoTime();
  }

  /** Waits until {@code n} streams ACKed since {@link #begin}, at most {@code timeoutMs}; the count reached. */
  synchronized int await(int n, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (acked < n && System.currentTimeMillis() < deadline) {
      wait(Math.max(1, deadline - System.currentTimeMillis()));
    }
    return acked;
  }

  /**
   * Waits until exactly {@code n} open streams have ACKed an EDS response (those of clients just started,
   * with those of the clients before them closed), at most {@code timeoutMs}; the count reached.
   */
  synchronized int awaitSubscribed(int n, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (subscribed.size() != n && System.currentTimeMillis() < deadline) {
      wait(Math.max(1, deadline - System.currentTimeMillis()));
    }
    return subscribed.size();
  }

  /** The ACK latencies since {@link #begin}, in microseconds. */
  Histogram latencies() {
    return latencies.getIntervalHistogram();
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(request.getTypeUrl()) && !request.hasErrorDetail()) {
      acked(streamId, request.getResponseNonce());
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
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(request.getTypeUrl()) && !request.hasErrorDetail()) {
      acked(streamId, request.getResponseNonce());
    }
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(response.getTypeUrl())) {
      lastNonce.put(streamId, response.getNonce());
    }
  }

  private void acked(long streamId, String nonce) {
    long now = System.nanoTime();
    if (nonce.isEmpty() || !nonce.equals(lastNonce.get(streamId))) {
      return;
    }
    if (subscribed.add(streamId)) {
      synchronized (this) {
        notifyAll();
      }
    }
    if (now < epochStart) {
      return;
    }
    long current = epoch;
    Long before = ackedEpoch.put(streamId, current);
    if (before == null || before != current) {
      latencies.recordValue(Math.max(1, (now - epochStart) / 1_000));
      synchronized (this) {
        acked++;
        notifyAll(); // one waiter at most: the write loop
      }
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    forget(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    forget(streamId);
  }

  private void forget(long streamId) {
    lastNonce.remove(streamId);
    ackedEpoch.remove(streamId);
    if (subscribed.remove(streamId)) {
      synchronized (this) {
        notifyAll();
      }
    }
  }
}
