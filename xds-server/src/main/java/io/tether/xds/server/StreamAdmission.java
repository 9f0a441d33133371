package io.tether.xds.server;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import io.tether.registry.auth.Caller;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.InvalidNodeException;
import io.tether.xds.node.NodeIdentity;
import io.tether.xds.node.NodeMetadataParser;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits nodes onto ADS streams: identifies a stream's node on its first request, refusing invalid
 * metadata and tokens not valid for the namespace claimed, and tells the {@link TetherCache} (which
 * owns the streams) of every stream's life, handing it over to the watch java-control-plane creates
 * right after each request. A group's first stream is announced to {@code newGroups} (the publisher,
 * which renders the group's first snapshot). It keeps no stream state of its own; it keeps the
 * refusals, for /v1/proxies, counts streams for the {@link StreamCensus}, and remembers which managed
 * token each open call authenticated with, so that its revocation ends them (docs/security.md, "Tokens").
 *
 * <p>Thread-safety: callbacks come from gRPC threads, one at a time per stream; refusals are guarded
 * by this object's lock; the calls by token are a concurrent map of concurrent sets.
 */
public final class StreamAdmission implements DiscoveryServerCallbacks {
  private static final Logger log = LoggerFactory.getLogger(StreamAdmission.class);
  private static final int REFUSALS_KEPT = 100;

  /** A node that was turned away, kept for operators to see in /v1/proxies. */
  public record Refusal(String nodeId, String namespace, String reason, Instant at) {}

  private final TetherCache cache;
  private final Admitted admitted;
  private final StreamCensus census;
  private final Deque<Refusal> refusals = new ArrayDeque<>();
  private final Map<String, Set<XdsCall>> callsByToken = new ConcurrentHashMap<>();

  /** Told of each admitted stream's group; the first stream of a group needs the group's first snapshot. */
  @FunctionalInterface
  interface Admitted {
    void stream(GroupKey group, boolean firstOfGroup);
  }

  StreamAdmission(TetherCache cache, Admitted admitted, StreamCensus census) {
    this.cache = cache;
    this.admitted = admitted;
    this.census = census;
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    cache.open(streamId);
    XdsCall call = XdsCall.KEY.get();
    if (call != null) {
      call.bind(streamId);
    }
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
    onRequest(streamId, request.getNode(), false);
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) throws RequestException {
    onRequest(streamId, request.getNode(), true);
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  /** A call authenticated; one with a managed token is remembered until it ends. */
  void authenticated(XdsCall call) {
    String token = call.caller().tokenId();
    if (token != null) {
      callsByToken.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(call);
    }
  }

  /** Managed tokens stopped being valid: their calls end with UNAUTHENTICATED (the follower's thread). */
  void revoked(Set<String> tokenIds) {
    for (String id : tokenIds) {
      Set<XdsCall> calls = callsByToken.remove(id);
      if (calls != null) {
        log.info("ending {} xDS stream(s) of revoked or expired token {}", calls.size(), id);
        calls.forEach(XdsCall::revoke);
      }
    }
  }

  /** Called when the gRPC call ends in any way, including a client's cancellation (no callback covers it). */
  void closed(XdsCall call) {
    String token = call.caller().tokenId();
    if (token != null) {
      callsByToken.computeIfPresent(token, (t, calls) -> {
        calls.remove(call);
        return calls.isEmpty() ? null : calls;
      });
    }
    closed(call.streamId());
  }

  /** The stream is gone: the cache forgets it. */
  void closed(long streamId) {
    cache.close(streamId).ifPresent(id -> {
      census.closed(id.group());
      log.debug("xDS stream {} from {} in namespace {} closed", streamId, id.nodeId(), id.group().namespace());
    });
  }

  public synchronized List<Refusal> refusals() {
    return List.copyOf(refusals);
  }

  private void onRequest(long streamId, Node node, boolean delta) throws RequestException {
    if (!cache.isOpen(streamId)) {
      throw new RequestException(Status.INTERNAL.withDescription("unknown stream " + streamId));
    }
    if (cache.identityOf(streamId).isEmpty()) {
      admit(streamId, node, delta);
    }
    cache.handOver(streamId);
  }

  private void admit(long streamId, Node node, boolean delta) throws RequestException {
    NodeIdentity id;
    try {
      id = NodeMetadataParser.parse(node);
    } catch (InvalidNodeException e) {
      census.refused("invalid_node");
      throw refuse(node, Status.INVALID_ARGUMENT, e.getMessage());
    }
    XdsCall call = XdsCall.KEY.get();
    Caller caller = call == null ? null : call.caller();
    if (caller == null || !caller.canRegisterIn(id.group().namespace())) {
      census.refused("permission_denied");
      throw refuse(node, Status.PERMISSION_DENIED, "the " + (caller != null && caller.name().startsWith("spiffe://")
          ? "certificate" : "token") + " presented is not valid for namespace '" + id.group().namespace() + "'");
    }
    boolean newGroup = cache.identify(streamId, id, delta);
    census.opened(id.group());
    log.debug("xDS stream {} from {} ({}, {}) in namespace {}", streamId, id.nodeId(), id.group().kind(),
        delta ? "delta" : "sotw", id.group().namespace());
    admitted.stream(id.group(), newGroup);
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
