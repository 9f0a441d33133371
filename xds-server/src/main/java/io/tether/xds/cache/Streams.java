package io.tether.xds.cache;

import io.tether.xds.node.GroupKey;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.node.ProxyKey;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The open ADS streams of a {@link TetherCache}, by java-control-plane's stream id, and the hand-over
 * of a stream to the watch its request creates.
 *
 * <p>Thread-safety: the map is concurrent. A stream's identity is set once, by its first request,
 * before any watch of it exists; gRPC delivers one call's events one at a time. The hand-over is
 * confined to the thread handling a request: java-control-plane (1.0.49) calls the request callback
 * (where the ADS layer calls {@link TetherCache#handOver}) and then {@code ConfigWatcher.createWatch}
 * on the same thread within one {@code onNext}; {@link #take} fails loudly if that ever stops being
 * true, and the conformance tests exercise it on every request.
 */
final class Streams {
  private final ConcurrentMap<Long, ProxyStream> open = new ConcurrentHashMap<>();
  private final ThreadLocal<ProxyStream> handedOver = new ThreadLocal<>();

  void open(long streamId) {
    open.put(streamId, new ProxyStream(streamId));
  }

  ProxyStream get(long streamId) {
    return open.get(streamId);
  }

  ProxyStream remove(long streamId) {
    return open.remove(streamId);
  }

  void handOver(ProxyStream stream) {
    handedOver.set(stream);
  }

  /** The stream whose request is being handled on this thread; see the class comment. */
  ProxyStream take() {
    ProxyStream s = handedOver.get();
    handedOver.remove();
    if (s == null) {
      throw new IllegalStateException("no xDS stream bound to this thread: java-control-plane no longer calls "
          + "the request callback before creating the watch");
    }
    return s;
  }

  /** The streams whose node identified itself. */
  List<ProxyStream> identified() {
    return open.values().stream().filter(s -> s.identity() != null).toList();
  }

  /** The group of a proxy's newest stream: stream ids only grow. */
  Optional<GroupKey> groupOf(ProxyKey proxy) {
    return identified().stream().filter(s -> s.identity().key().equals(proxy))
        .max(Comparator.comparingLong(s -> s.streamId)).map(s -> s.identity().group());
  }

  List<ProxyKey> proxiesWithNodeId(String nodeId) {
    return identified().stream().map(ProxyStream::identity).filter(id -> id.nodeId().equals(nodeId))
        .map(NodeIdentity::key).distinct().sorted(Comparator.comparing(ProxyKey::namespace)).toList();
  }
}
