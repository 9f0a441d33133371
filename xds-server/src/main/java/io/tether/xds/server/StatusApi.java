package io.tether.xds.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcd.jetcd.Client;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.Caller;
import io.tether.registry.etcd.EtcdMembers;
import io.tether.registry.view.EtcdRegistryView;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/status} (docs/operations.md, "Status"): this server's version, every replica, the etcd
 * members and their health, the proxies of every replica by sync state, and this replica's view. Its
 * parts are asked in parallel; a part that fails is reported in the answer, never as a failure of it.
 */
public final class StatusApi {
  private static final Duration ETCD_TIMEOUT = Duration.ofSeconds(2);

  private final ProxiesApi proxies;
  private final EtcdRegistryView view;
  private final Client etcd;
  private final String version;

  private StatusApi(ProxiesApi proxies, EtcdRegistryView view, Client etcd, String version) {
    this.proxies = proxies;
    this.view = view;
    this.etcd = etcd;
    this.version = version;
  }

  public static void mount(RegistryApi api, ProxiesApi proxies, EtcdRegistryView view, Client etcd, String version) {
    api.get("/v1/status", new StatusApi(proxies, view, etcd, version)::status);
  }

  private void status(RoutingContext ctx) {
    Caller caller = RegistryApi.caller(ctx);
    if (!caller.canRead(null)) {
      throw new RegistryException(ErrorCode.PERMISSION_DENIED,
          "token '" + caller.name() + "' may not read the cluster's status: it takes an admin or reader token");
    }
    Future<ObjectNode> listing = proxies.listing(ctx, caller, null, false);
    Future<JsonNode> members = Future.fromCompletionStage(EtcdMembers.check(etcd, ETCD_TIMEOUT), ctx.vertx().getOrCreateContext())
        .map(list -> (JsonNode) Json.MAPPER.createObjectNode().put("healthy", list.stream().allMatch(EtcdMembers.MemberStatus::healthy))
            .set("members", Json.MAPPER.valueToTree(list)))
        .otherwise(failed -> Json.MAPPER.createObjectNode().put("healthy", false)
            .put("error", "cannot list the etcd members: " + failed.getMessage()));
    Future.all(listing, members).onSuccess(done -> ProxiesApi.json(ctx, 200, body(listing.result(), members.result())))
        .onFailure(ctx::fail);
  }

  private ObjectNode body(ObjectNode listing, JsonNode etcdStatus) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("version", version);
    body.put("replica", listing.path("replica").asText());
    // Absent, not null, when the replica list could not be read (then "errors" says why).
    for (String part : new String[] {"replicas", "unreachableReplicas", "errors"}) {
      if (listing.has(part)) {
        body.set(part, listing.get(part));
      }
    }
    body.set("etcd", etcdStatus);
    body.set("proxies", proxyCounts(listing));
    EtcdRegistryView.Readiness readiness = view.readiness();
    ObjectNode v = body.putObject("view").put("revision", view.current().revision())
        .put("revisionLag", view.revisionLag()).put("ready", readiness.ready());
    if (!readiness.ready()) {
      v.put("reason", readiness.reason());
    }
    return body;
  }

  /** Every proxy once, in its worst type's state: NACKED over STALE over SYNCED. */
  private static JsonNode proxyCounts(ObjectNode listing) {
    Map<String, Integer> byState = new TreeMap<>(Map.of("SYNCED", 0, "STALE", 0, "NACKED", 0));
    Map<String, Integer> byReplica = new TreeMap<>();
    int total = 0;
    for (JsonNode item : listing.path("items")) {
      JsonNode sync = item.path("stream").path("sync");
      String state = has(sync, "NACKED") ? "NACKED" : has(sync, "STALE") || sync.isEmpty() ? "STALE" : "SYNCED";
      byState.merge(state, 1, Integer::sum);
      byReplica.merge(item.path("replica").asText(), 1, Integer::sum);
      total++;
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("total", total);
    out.set("byState", Json.MAPPER.valueToTree(byState));
    out.set("byReplica", Json.MAPPER.valueToTree(byReplica));
    return out;
  }

  private static boolean has(JsonNode sync, String state) {
    for (JsonNode s : sync) {
      if (state.equals(s.asText())) {
        return true;
      }
    }
    return false;
  }
}
