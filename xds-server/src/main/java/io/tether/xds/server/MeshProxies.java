package io.tether.xds.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.model.json.Json;
import io.tether.registry.store.ReplicaDirectory;
import io.tether.registry.store.ReplicaInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /v1/proxies} across every replica on this etcd (docs/operations.md, "Proxies"): this replica's
 * own answer merged with each peer's {@code ?scope=local} answer, fetched in parallel with the caller's
 * token; a peer that does not answer in time is listed in {@code unreachableReplicas}, not a failure.
 * Peers are always asked for their local scope, so a request fans out one hop and never loops.
 */
final class MeshProxies {
  private static final Comparator<JsonNode> ORDER = Comparator
      .comparing((JsonNode i) -> i.path("stream").path("namespace").asText(i.path("namespace").asText()))
      .thenComparing(i -> i.path("stream").path("nodeId").asText(i.path("nodeId").asText()))
      .thenComparing(i -> i.path("replica").asText());

  private final ReplicaDirectory replicas;
  private final io.vertx.core.net.PemTrustOptions peerTrust;
  private volatile PeerClient peers;

  /** {@code peerTrust}: what verifies an https peer's certificate (null: the JVM's CAs). */
  MeshProxies(ReplicaDirectory replicas, io.vertx.core.net.PemTrustOptions peerTrust) {
    this.replicas = replicas;
    this.peerTrust = peerTrust;
  }

  String self() {
    return replicas.self().id();
  }

  /** The local answer {@code local} with every peer's merged in; {@code query} is the caller's, without scope. */
  Future<ObjectNode> list(Vertx vertx, ObjectNode local, String query, String authorization) {
    return others(vertx).compose(peerList -> {
      List<Future<Reply>> replies = new ArrayList<>();
      for (ReplicaInfo peer : peerList) {
        replies.add(client(vertx).get(peer.apiUrl(), "/v1/proxies?scope=local" + query, authorization)
            .transform(done -> Future.succeededFuture(new Reply(peer, done.succeeded() ? done.result() : null,
                done.succeeded() ? null : String.valueOf(done.cause().getMessage())))));
      }
      return Future.join(replies).map(all -> merge(local, peerList, replies));
    }, failed -> {
      local.putArray("errors").add("cannot list the replicas from etcd (" + failed.getMessage() + "): only this one's proxies");
      return Future.succeededFuture(local);
    });
  }

  /**
   * The first 200 answer of a peer to {@code pathAndQuery} (which must ask for the local scope), else a
   * 409 one (the node id is ambiguous there), else null: no peer serves it.
   */
  Future<PeerClient.Answer> forward(Vertx vertx, String pathAndQuery, String authorization) {
    return others(vertx).compose(peerList -> {
      List<Future<PeerClient.Answer>> replies = new ArrayList<>();
      for (ReplicaInfo peer : peerList) {
        replies.add(client(vertx).get(peer.apiUrl(), pathAndQuery, authorization)
            .otherwise(new PeerClient.Answer(0, null)));
      }
      return Future.join(replies).map(all -> {
        PeerClient.Answer conflict = null;
        for (Future<PeerClient.Answer> f : replies) {
          if (f.result().status() == 200) {
            return f.result();
          }
          conflict = f.result().status() == 409 ? f.result() : conflict;
        }
        return conflict;
      });
    }, failed -> Future.succeededFuture(null));
  }

  private record Reply(ReplicaInfo peer, PeerClient.Answer answer, String failure) {}

  private Future<List<ReplicaInfo>> others(Vertx vertx) {
    return Future.fromCompletionStage(replicas.list(), vertx.getOrCreateContext())
        .map(all -> all.stream().filter(r -> !r.id().equals(self())).toList());
  }

  private ObjectNode merge(ObjectNode local, List<ReplicaInfo> peerList, List<Future<Reply>> replies) {
    List<JsonNode> items = new ArrayList<>();
    local.path("items").forEach(items::add);
    List<JsonNode> refused = new ArrayList<>();
    local.path("refused").forEach(refused::add);
    ArrayNode unreachable = Json.MAPPER.createArrayNode();
    for (Future<Reply> f : replies) {
      Reply r = f.result();
      String problem = r.failure() != null ? r.failure() : r.answer().status() != 200 ? refusal(r.answer()) : null;
      if (problem != null) {
        unreachable.addObject().put("id", r.peer().id()).put("apiUrl", r.peer().apiUrl()).put("error", problem);
        continue;
      }
      r.answer().body().path("items").forEach(items::add);
      r.answer().body().path("refused").forEach(refused::add);
    }
    items.sort(ORDER);
    refused.sort(ORDER);
    local.putArray("items").addAll(items);
    local.putArray("refused").addAll(refused);
    ArrayNode known = local.putArray("replicas");
    known.add(Json.MAPPER.<JsonNode>valueToTree(replicas.self()));
    peerList.forEach(p -> known.add(Json.MAPPER.<JsonNode>valueToTree(p)));
    local.set("unreachableReplicas", unreachable);
    return local;
  }

  private static String refusal(PeerClient.Answer a) {
    JsonNode error = a.body() == null ? null : a.body().path("error");
    return "HTTP " + a.status() + (error == null || error.isMissingNode() ? ""
        : ": " + error.path("code").asText() + " " + error.path("message").asText());
  }

  private PeerClient client(Vertx vertx) {
    PeerClient c = peers;
    if (c == null) {
      synchronized (this) {
        c = peers == null ? peers = new PeerClient(vertx, peerTrust) : peers;
      }
    }
    return c;
  }
}
