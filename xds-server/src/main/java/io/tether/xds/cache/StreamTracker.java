package io.tether.xds.cache;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import io.tether.registry.auth.Caller;
import io.tether.xds.node.InvalidNodeException;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.node.NodeMetadataParser;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows every open ADS stream: identifies its node on the first request (refusing invalid metadata
 * and tokens not valid for the namespace claimed), attaches it to its group, and hands the stream to
 * the {@link TetherCache} for the watch java-control-plane creates right after.
 *
 * <p>That hand-over relies on java-control-plane (1.0.49) calling {@code onV3StreamRequest} and then
 * {@code ConfigWatcher.createWatch} on the same thread within one {@code onNext}; {@link #takeCurrent}
 * fails loudly if that ever stops being true, and the conformance tests exercise it on every request.
 */
public final class StreamTracker implements DiscoveryServerCallbacks {
  private static final Logger log = LoggerFactory.getLogger(StreamTracker.class);
  private static final int REFUSALS_KEPT = 100;

  /** A node that was turned away, kept for operators to see in /v1/proxies. */
  public record Refusal(String nodeId, String namespace, String reason, Instant at) {}

  private final ConcurrentMap<Long, ProxyStream> streams = new ConcurrentHashMap<>();
  private final ThreadLocal<ProxyStream> current = new ThreadLocal<>();
  private final Deque<Refusal> refusals = new ArrayDeque<>();
  private TetherCache cache;

  void bind(TetherCache owner) {
    this.cache = owner;
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    streams.put(streamId, new ProxyStream(streamId));
    XdsCall call = XdsCall.KEY.get();
    if (call != null) {
      call.bind(streamId);
    }
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
    current.set(identify(streamId, request.getNode(), false));
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
    current.set(identify(streamId, request.getNode(), true));
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  /** Called when the gRPC call ends in any way, including a client's cancellation (no callback covers it). */
  public void closed(long streamId) {
    ProxyStream s = streams.remove(streamId);
    if (s != null && s.identity() != null) {
      cache.detach(s);
    }
  }

  /** The stream whose request is being handled on this thread; see the class comment. */
  ProxyStream takeCurrent() {
    ProxyStream s = current.get();
    current.remove();
    if (s == null) {
      throw new IllegalStateException("no xDS stream bound to this thread: java-control-plane no longer calls "
          + "the request callback before creating the watch");
    }
    return s;
  }

  List<ProxyStream> streams() {
    return List.copyOf(streams.values());
  }

  public synchronized List<Refusal> refusals() {
    return List.copyOf(refusals);
  }

  private ProxyStream identify(long streamId, Node node, boolean delta) throws RequestException {
    ProxyStream s = streams.get(streamId);
    if (s == null) {
      throw new RequestException(Status.INTERNAL.withDescription("unknown stream " + streamId));
    }
    if (s.identity() != null) {
      return s;
    }
    NodeIdentity id;
    try {
      id = NodeMetadataParser.parse(node);
    } catch (InvalidNodeException e) {
      throw refuse(node, Status.INVALID_ARGUMENT, e.getMessage());
    }
    XdsCall call = XdsCall.KEY.get();
    Caller caller = call == null ? null : call.caller();
    if (caller == null || !caller.canRegisterIn(id.group().namespace())) {
      throw refuse(node, Status.PERMISSION_DENIED, "the token presented is not valid for namespace '"
          + id.group().namespace() + "'");
    }
    s.identify(id, delta);
    cache.attach(s);
    log.info("xDS stream {} from {} ({}, {}) in namespace {}", streamId, id.nodeId(), id.group().kind(),
        delta ? "delta" : "sotw", id.group().namespace());
    return s;
  }

  private RequestException refuse(Node node, Status status, String reason) {
    String ns = node.getMetadata().getFieldsMap().containsKey("namespace")
        ? node.getMetadata().getFieldsMap().get("namespace").getStringValue() : null;
    log.warn("refusing xDS node '{}': {}", node.getId(), reason);
    synchronized (this) {
      refusals.addFirst(new Refusal(node.getId(), ns, reason, Instant.now()));
      while (refusals.size() > REFUSALS_KEPT) {
        refusals.removeLast();
      }
    }
    return new RequestException(status.withDescription(reason));
  }
}
