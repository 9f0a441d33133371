package io.tether.xds.server;

import io.tether.model.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/xds} (any valid token): where this control plane serves xDS and whether with TLS,
 * {@code {"address": "HOST:PORT", "tls": BOOL}}, so that an agent learns it instead of guessing
 * (docs/cli.md "The xDS address"). The address is {@code tether server --xds-advertise} when given,
 * else the host the request reached the API by (its Host header, else the local address) and the
 * xDS port: a name that worked for the API is the likeliest to work for xDS too.
 */
public final class XdsInfoApi {
  private final XdsServer xds;
  private final String advertised;
  private final boolean tls;

  private XdsInfoApi(XdsServer xds, String advertised, boolean tls) {
    this.xds = xds;
    this.advertised = advertised;
    this.tls = tls;
  }

  /** @param advertised HOST:PORT to answer with, or null to answer with the request's host and the xDS port */
  public static void mount(io.tether.registry.api.RegistryApi api, XdsServer xds, String advertised, boolean tls) {
    XdsInfoApi info = new XdsInfoApi(xds, advertised, tls);
    api.get("/v1/xds", info::get);
  }

  private void get(RoutingContext ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("address", advertised != null ? advertised : requestHost(ctx) + ":" + xds.port());
    body.put("tls", tls);
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.write(body)));
  }

  /** The host the client called the API by, IPv6 in brackets. */
  private static String requestHost(RoutingContext ctx) {
    HostAndPort authority = ctx.request().authority();
    String host = authority != null && !authority.host().isEmpty() ? authority.host() : ctx.request().localAddress().host();
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
