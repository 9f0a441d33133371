package io.tether.registry.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The REST API's HTTP server: HTTP/1.1 only (over TLS with {@link ApiTls}), with every request checked by {@link RequestGuard}
 * before routing, every connection bounded by {@link ConnectionGuard}, and a graceful stop.
 */
public final class ApiHttpServer {
  private final HttpServer server;
  private final HttpLimits limits;

  private ApiHttpServer(HttpServer server, HttpLimits limits) {
    this.server = server;
    this.limits = limits;
  }

  public static Future<ApiHttpServer> start(Vertx vertx, Router router, HttpLimits limits, MeterRegistry meters,
      String host, int port) {
    return start(vertx, router, limits, meters, host, port, null);
  }

  /** As above, over HTTPS when {@code tls} is given (null: plain HTTP). */
  public static Future<ApiHttpServer> start(Vertx vertx, Router router, HttpLimits limits, MeterRegistry meters,
      String host, int port, ApiTls tls) {
    ConnectionGuard connections = new ConnectionGuard(vertx, limits, meters);
    // Runs first on every routed request: the router owns the response's end, so it reports it.
    router.route().order(-1).handler(ctx -> {
      ctx.addEndHandler(done -> connections.responseEnded(ctx.request().connection()));
      ctx.next();
    });
    HttpServerOptions options = new HttpServerOptions()
        .setHttp2ClearTextEnabled(false)
        .setHandle100ContinueAutomatically(true);
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(tls.options());
    }
    HttpServer server = vertx.createHttpServer(options)
        .connectionHandler(connections::accepted)
        .invalidRequestHandler(new InvalidRequests())
        .requestHandler(new RequestGuard(router, connections));
    return server.listen(port, host).map(s -> new ApiHttpServer(s, limits));
  }

  public int port() {
    return server.actualPort();
  }

  /**
   * Stops accepting connections, lets the requests in flight finish for up to the shutdown grace
   * (each connection closes once its current response is out), then closes what is left.
   */
  public Future<Void> shutdown() {
    return server.shutdown(limits.shutdownGrace());
  }
}
