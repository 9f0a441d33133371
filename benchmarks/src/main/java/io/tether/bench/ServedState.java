package io.tether.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Server callbacks that keep, per stream, the endpoints ({@link EndpointSet}) of each EDS cluster as of the
 * responses it ACKed, state-of-the-world and delta alike: what churn's final state and the lease storm's
 * drop compare with etcd ({@link #converged}). With a {@link WriteLog}, each ACK also times the writes it
 * is the stream's first ACK of (write → ACK). An ACK of a nonce applies every response sent before it on
 * that stream (gRPC keeps a stream's messages in order); a NACK applies none.
 */
final class ServedState implements DiscoveryServerCallbacks {
  /** A stream's responses awaiting its ACK, by nonce, and what it has ACKed. */
  private static final class Stream {
    final LinkedHashMap<String, Sent> pending = new LinkedHashMap<>();
    final Map<String, Long> acked = new HashMap<>();
    final Map<String, Integer> credited = new HashMap<>();
    long changedNanos;
  }

  /** One EDS response: when it was sent, the fingerprints it carries and the clusters it removes. */
  private record Sent(long nanos, Map<String, Long> states, List<String> removed) {}

  /** Streams matching the expected state, out of how many, and when the last of them last changed. */
  record Convergence(int matching, int streams, long lastChangeNanos) {}

  private final ConcurrentMap<Long, Stream> streams = new ConcurrentHashMap<>();
  private final ConcurrentMap<ClusterLoadAssignment, Long> fingerprints = new ConcurrentHashMap<>();
  private final Recorder latencies = new Recorder(3);
  private volatile WriteLog log = new WriteLog();

  /** Times writes of {@code log} from now on. */
  void timing(WriteLog writes) {
    latencies.reset();
    log = writes;
  }

  /** Write → ACK of the writes timed, in microseconds, since the last call. */
  Histogram latencies() {
    return latencies.getIntervalHistogram();
  }

  /** How many streams hold exactly {@code expected} (cluster → fingerprint) in what they ACKed. */
  Convergence converged(Map<String, Long> expected) {
    int matching = 0;
    long last = 0;
    for (Stream s : streams.values()) {
      synchronized (s) {
        boolean all = expected.entrySet().stream().allMatch(e -> e.getValue().equals(s.acked.get(e.getKey())));
        if (all) {
          matching++;
          last = Math.max(last, s.changedNanos);
        }
      }
    }
    return new Convergence(matching, streams.size(), last);
  }

  @Override
  public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(response.getTypeUrl())) {
      Map<String, Long> states = new HashMap<>();
      response.getResourcesList().forEach(any -> put(states, unpack(any)));
      sent(streamId, response.getNonce(), new Sent(System.nanoTime(), states, List.of()));
    }
  }

  @Override
  public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(response.getTypeUrl())) {
      Map<String, Long> states = new HashMap<>();
      for (Resource r : response.getResourcesList()) {
        put(states, unpack(r.getResource()));
      }
      sent(streamId, response.getNonce(), new Sent(System.nanoTime(), states, response.getRemovedResourcesList()));
    }
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(request.getTypeUrl())) {
      answered(streamId, request.getResponseNonce(), !request.hasErrorDetail());
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    if (Resources.V3.ENDPOINT_TYPE_URL.equals(request.getTypeUrl())) {
      answered(streamId, request.getResponseNonce(), !request.hasErrorDetail());
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    streams.remove(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    streams.remove(streamId);
  }

  private void put(Map<String, Long> states, ClusterLoadAssignment assignment) {
    if (fingerprints.size() > 100_000) {
      fingerprints.clear();
    }
    states.put(assignment.getClusterName(), fingerprints.computeIfAbsent(assignment, EndpointSet::of));
  }

  private void sent(long streamId, String nonce, Sent sent) {
    Stream s = streams.computeIfAbsent(streamId, id -> new Stream());
    synchronized (s) {
      s.pending.put(nonce, sent);
    }
  }

  private void answered(long streamId, String nonce, boolean ack) {
    Stream s = streams.get(streamId);
    if (s == null || nonce.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    synchronized (s) {
      if (!s.pending.containsKey(nonce)) {
        return;
      }
      for (Iterator<Map.Entry<String, Sent>> it = s.pending.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Sent> e = it.next();
        it.remove();
        if (ack) {
          apply(s, e.getValue(), now);
        }
        if (e.getKey().equals(nonce)) {
          break;
        }
      }
    }
  }

  private void apply(Stream s, Sent sent, long now) {
    WriteLog writes = log;
    sent.states().forEach((cluster, state) -> {
      Long before = s.acked.put(cluster, state);
      if (before == null || before.longValue() != state) {
        s.changedNanos = now;
      }
      int k = writes.match(cluster, state, sent.nanos());
      int from = s.credited.getOrDefault(cluster, -1);
      for (int j = from + 1; j <= k; j++) {
        latencies.recordValue(Math.max(1, (now - writes.startNanos(cluster, j)) / 1_000));
      }
      if (k > from) {
        s.credited.put(cluster, k);
      }
    });
    for (String cluster : sent.removed()) {
      if (s.acked.remove(cluster) != null) {
        s.changedNanos = now;
      }
    }
  }

  private static ClusterLoadAssignment unpack(com.google.protobuf.Any any) {
    try {
      return any.unpack(ClusterLoadAssignment.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an EDS resource that is no ClusterLoadAssignment", e);
    }
  }
}
