package io.tether.xds.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.Caller;
import io.tether.registry.json.Json;
import io.tether.xds.cache.GroupSnapshot;
import io.tether.xds.cache.StreamStatus;
import io.tether.xds.node.NodeGroup;
import io.tether.xds.render.RenderedTypes;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /v1/proxies}: every connected xDS client (node, namespace, kind, replica, ACKed version per
 * type, last NACK) and the nodes refused lately; {@code GET /v1/proxies/{nodeId}/config}: the resources
 * that client is served, as JSON. Agents see only their namespace.
 */
public final class ProxiesApi {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(RenderedTypes.typeRegistry());

  private final XdsServer xds;
  private final String replica;

  private ProxiesApi(XdsServer xds, String replica) {
    this.xds = xds;
    this.replica = replica;
  }

  public static void mount(RegistryApi api, XdsServer xds, String replica) {
    ProxiesApi proxies = new ProxiesApi(xds, replica);
    api.get("/v1/proxies", proxies::list);
    api.get("/v1/proxies/:id/config", proxies::config);
  }

  private void list(RoutingContext ctx) {
    Caller caller = RegistryApi.caller(ctx);
    List<Map<String, Object>> items = new ArrayList<>();
    for (StreamStatus s : xds.cache().status()) {
      if (caller.canRead(s.namespace())) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("replica", replica);
        item.put("stream", s);
        items.add(item);
      }
    }
    List<StreamTrackerRefusal> refused = xds.tracker().refusals().stream()
        .filter(r -> r.namespace() == null ? caller.canRead(null) : caller.canRead(r.namespace()))
        .map(r -> new StreamTrackerRefusal(r.nodeId(), r.namespace(), r.reason(), r.at().toString())).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("replica", replica);
    body.put("items", items);
    body.put("refused", refused);
    json(ctx, 200, body);
  }

  private record StreamTrackerRefusal(String nodeId, String namespace, String reason, String at) {}

  private void config(RoutingContext ctx) {
    String nodeId = ctx.pathParam("id");
    NodeGroup group = xds.cache().groupOfNode(nodeId).orElse(null);
    GroupSnapshot snapshot = group == null ? null : xds.cache().snapshot(group).orElse(null);
    if (group == null || snapshot == null || !RegistryApi.caller(ctx).canRead(group.namespace())) {
      json(ctx, 404, Map.of("error", Map.of("code", "NOT_FOUND", "message", "no connected proxy with node id '" + nodeId + "'")));
      return;
    }
    Map<String, Object> resources = new TreeMap<>();
    snapshot.types().forEach((type, byName) -> {
      Map<String, Object> named = new TreeMap<>();
      byName.resources().forEach((name, r) -> named.put(name, resource(r)));
      resources.put(type.name(), named);
    });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("nodeId", nodeId);
    body.put("group", group);
    body.put("resources", resources);
    json(ctx, 200, body);
  }

  private static Map<String, Object> resource(VersionedResource<?> r) {
    try {
      JsonNode json = Json.MAPPER.readTree(PRINTER.print(r.resource()));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("version", r.version());
      out.put("resource", json);
      return out;
    } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot print " + r.resource().getDescriptorForType().getFullName(), e);
    }
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.write(body)));
  }
}
