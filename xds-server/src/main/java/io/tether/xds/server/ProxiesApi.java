package io.tether.xds.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.tether.xds.identity.SdsSecrets;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.Caller;
import io.tether.model.json.Json;
import io.tether.model.ErrorCode;
import io.tether.model.InvalidSpecException;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.registry.store.ReplicaDirectory;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.StreamStatus;
import io.tether.xds.node.GroupKey;
import io.tether.xds.node.ProxyKey;
import io.tether.xds.render.RenderedTypes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/proxies}: every connected xDS client of every replica (node, namespace, kind, replica,
 * ACKed version and sync state per type, last NACK; {@link MeshProxies}) and the nodes refused lately, optionally of one namespace ({@code ?namespace=});
 * {@code GET /v1/proxies/{ns}/{nodeId}/config}: the resources that client is served, as JSON, asked of
 * the replica that serves it when that is another one; {@code ?scope=local} keeps either to this replica. Agents
 * see only their namespace.
 *
 * <p>A proxy is (namespace, node id): node ids are unique per namespace only. {@code GET
 * /v1/proxies/{nodeId}/config} stays for callers to whom the id is unambiguous, i.e. connected in
 * exactly one namespace they may read; when it is connected in several, it answers 409 naming them.
 */
public final class ProxiesApi {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(RenderedTypes.typeRegistry());

  /**
   * The node ids the config routes accept: what a path segment carries as is (RFC 3986 pchar without
   * percent-encoding), 1 to 256 characters, and not "." or "..". No '%': an id is looked up exactly as
   * sent, so what was checked is what is looked up.
   */
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@-]{1,256}");

  private final XdsServer xds;
  private final String replica;
  private final MeshProxies mesh;

  private ProxiesApi(XdsServer xds, ReplicaDirectory replicas, io.vertx.core.net.PemTrustOptions peerTrust) {
    this.xds = xds;
    this.replica = replicas.self().id();
    this.mesh = new MeshProxies(replicas, peerTrust);
  }

  /**
   * Mounts the routes; {@code replicas} names this replica and finds its peers, {@code peerTrust} verifies
   * an https peer (null: the JVM's CAs).
   */
  public static ProxiesApi mount(RegistryApi api, XdsServer xds, ReplicaDirectory replicas,
      io.vertx.core.net.PemTrustOptions peerTrust) {
    ProxiesApi proxies = new ProxiesApi(xds, replicas, peerTrust);
    api.get("/v1/proxies", proxies::list);
    api.get("/v1/proxies/:ns/:id/config", proxies::configInNamespace);
    api.get("/v1/proxies/:id/config", proxies::configByNodeId);
    return proxies;
  }

  private void list(RoutingContext ctx) {
    Caller caller = RegistryApi.caller(ctx);
    String only = ctx.queryParams().get("namespace");
    if (only != null) {
      requireRead(caller, Names.requireLabel("namespace", only));
    }
    listing(ctx, caller, only, localScope(ctx)).onSuccess(body -> json(ctx, 200, body)).onFailure(ctx::fail);
  }

  /** What {@code GET /v1/proxies} answers the caller: this replica's listing, or ({@code !localOnly}) every replica's. */
  Future<ObjectNode> listing(RoutingContext ctx, Caller caller, String only, boolean localOnly) {
    ObjectNode local = Json.MAPPER.valueToTree(localList(caller, only));
    if (localOnly) {
      return Future.succeededFuture(local);
    }
    String query = only == null ? "" : "&namespace=" + only;
    return mesh.list(ctx.vertx(), local, query, ctx.request().getHeader("Authorization"));
  }

  /** This replica's streams and refusals that the caller may see (of {@code only}, when given). */
  private Map<String, Object> localList(Caller caller, String only) {
    Predicate<String> shown = ns -> (only == null || only.equals(ns)) && caller.canRead(ns);
    List<Map<String, Object>> items = new ArrayList<>();
    for (StreamStatus s : xds.cache().status()) {
      if (shown.test(s.namespace())) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("replica", replica);
        item.put("stream", s);
        items.add(item);
      }
    }
    // A node refused before it named a namespace belongs to none: only cluster-wide readers see it.
    List<RefusalView> refused = xds.admission().refusals().stream()
        .filter(r -> r.namespace() == null ? only == null && caller.canRead(null) : shown.test(r.namespace()))
        .map(r -> new RefusalView(replica, r.nodeId(), r.namespace(), r.reason(), r.at().toString())).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("replica", replica);
    body.put("items", items);
    body.put("refused", refused);
    return body;
  }

  /** {@code ?scope=local}: this replica only (what peers ask each other); absent: every replica. */
  private static boolean localScope(RoutingContext ctx) {
    String scope = ctx.queryParams().get("scope");
    if (scope != null && !scope.equals("local")) {
      throw new InvalidSpecException("scope", "scope must be 'local' (this replica only) or absent (every replica)");
    }
    return scope != null;
  }

  private record RefusalView(String replica, String nodeId, String namespace, String reason, String at) {}

  private void configInNamespace(RoutingContext ctx) {
    List<String> params = rawParams(ctx, 2);
    String ns = Names.requireLabel("namespace", params.get(0));
    String nodeId = requireNodeId(params.get(1));
    requireRead(RegistryApi.caller(ctx), ns);
    boolean local = localScope(ctx); // checked first: a bad scope is 400 whether or not the proxy is here
    if (xds.cache().groupOf(new ProxyKey(ns, nodeId)).isEmpty() && !local) {
      forward(ctx, "no proxy with node id '" + nodeId + "' is connected in namespace '" + ns + "'");
      return;
    }
    config(ctx, new ProxyKey(ns, nodeId));
  }

  private void configByNodeId(RoutingContext ctx) {
    String nodeId = requireNodeId(rawParams(ctx, 1).get(0));
    Caller caller = RegistryApi.caller(ctx);
    boolean local = localScope(ctx);
    List<ProxyKey> readable = xds.cache().proxiesWithNodeId(nodeId).stream()
        .filter(p -> caller.canRead(p.namespace())).toList();
    if (readable.isEmpty() && !local) {
      forward(ctx, "no proxy with node id '" + nodeId + "' is connected");
      return;
    }
    if (readable.isEmpty()) {
      throw new RegistryException(ErrorCode.NOT_FOUND, "no proxy with node id '" + nodeId + "' is connected");
    }
    if (readable.size() > 1) {
      throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "node id '" + nodeId + "' is connected in namespaces "
          + readable.stream().map(ProxyKey::namespace).collect(Collectors.joining(", "))
          + "; use /v1/proxies/{ns}/" + nodeId + "/config");
    }
    config(ctx, readable.get(0));
  }

  private void config(RoutingContext ctx, ProxyKey proxy) {
    GroupKey group = xds.cache().groupOf(proxy).orElse(null);
    GroupSnapshot snapshot = group == null ? null : xds.cache().snapshot(group).orElse(null);
    if (snapshot == null) {
      throw new RegistryException(ErrorCode.NOT_FOUND, "no proxy with node id '" + proxy.nodeId()
          + "' is connected in namespace '" + proxy.namespace() + "'");
    }
    Map<String, Object> resources = new TreeMap<>();
    snapshot.types().forEach((type, byName) -> {
      Map<String, Object> named = new TreeMap<>();
      byName.resources().forEach((name, r) -> named.put(name, resource(r)));
      resources.put(type.name(), named);
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("namespace", proxy.namespace());
    body.put("nodeId", proxy.nodeId());
    body.put("replica", replica);
    body.put("group", group);
    body.put("resources", resources);
    json(ctx, 200, body);
  }

  /** Answers with the config of the peer that serves the proxy, or 404 with {@code notFound} when none does. */
  private void forward(RoutingContext ctx, String notFound) {
    mesh.forward(ctx.vertx(), ctx.request().path() + "?scope=local", ctx.request().getHeader("Authorization"))
        .onSuccess(answer -> {
          if (answer == null) {
            ctx.fail(new RegistryException(ErrorCode.NOT_FOUND, notFound + " on any replica"));
          } else {
            json(ctx, answer.status(), answer.body());
          }
        }).onFailure(ctx::fail);
  }

  /**
   * The path parameters as the client sent them. Vert.x routes on the normalized path, where %XX is
   * decoded and "." and ".." segments are resolved, so "/v1/proxies/a/./config" would reach the
   * node-id route as node id "a", and "x%2Fy" as "x/y". A resolved segment changes the count.
   */
  private static List<String> rawParams(RoutingContext ctx, int count) {
    String[] segments = ctx.request().path().split("/", -1); // "", "v1", "proxies", the parameters, "config"
    if (segments.length != count + 4) {
      throw new InvalidSpecException("nodeId", "the path may not contain '.' or '..' segments, and a node id may "
          + "not be '.' or '..'");
    }
    return List.of(segments).subList(3, 3 + count);
  }

  private static String requireNodeId(String raw) {
    if (!NODE_ID.matcher(raw).matches() || raw.equals(".") || raw.equals("..")) {
      throw new InvalidSpecException("nodeId", "nodeId must be 1 to 256 letters, digits or characters of "
          + "-._~!$&'()*+,;=:@ as sent (no '%', '/' or spaces), and not '.' or '..'");
    }
    return raw;
  }

  private static void requireRead(Caller caller, String ns) {
    if (!caller.canRead(ns)) {
      throw new RegistryException(ErrorCode.PERMISSION_DENIED, "token '" + caller.name()
          + "' may not read proxies of namespace '" + ns + "'");
    }
  }

  private static Map<String, Object> resource(VersionedResource<?> r) {
    try {
      // A served secret's private key never leaves the server this way (docs/security.md).
      var shown = r.resource() instanceof Secret secret ? SdsSecrets.redacted(secret) : r.resource();
      JsonNode json = Json.MAPPER.readTree(PRINTER.print(shown));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("version", r.version());
      out.put("resource", json);
      return out;
    } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + r.resource().getDescriptorForType().getFullName(), e);
    }
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.write(body)));
  }
}
