package io.tether.registry.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tether.registry.auth.Caller;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.model.json.Json;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.registry.store.RegistryStore;
import io.tether.registry.view.EtcdRegistryView;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (README, "REST API") on a Vert.x router. This class sets up the router (metrics, the
 * starting gate, body limits, authentication, errors, 405s) and mounts the route groups ({@code *Routes},
 * one a resource); their handlers parse the request, check the caller's rights with {@link #require} and
 * delegate to {@link RegistryService} through {@link #async}. Nothing here blocks an event loop.
 */
public final class RegistryApi {
  private static final Logger log = LoggerFactory.getLogger(RegistryApi.class);
  public static final int DEFAULT_BODY_LIMIT = HttpLimits.DEFAULT_BODY_LIMIT;
  static final String CALLER = "tether.caller";

  private final Router router;
  private final TokenAuthenticator tokens;
  private final AllowedMethods allowed = new AllowedMethods();
  private final WatchApi watch;
  /** False until every route is mounted: the API listens before the xDS server adds its routes. */
  private volatile boolean open;

  /** {@code managedTokens}: this server's copy of the managed tokens, which the token routes wait on. */
  public RegistryApi(Vertx vertx, RegistryStore store, EtcdRegistryView view, TokenAuthenticator tokens,
      io.tether.registry.store.TokenDirectory managedTokens, PrometheusMeterRegistry meters, HttpLimits limits) {
    RegistryService service = new RegistryService(store, view);
    this.tokens = tokens;
    this.router = Router.router(vertx);
    router.route().handler(new ApiMetrics(meters)::handle);
    router.route().handler(this::openOrStarting);
    router.route().handler(new RequestBodyReader(limits)::handle);
    router.route().failureHandler(this::onFailure);
    router.errorHandler(404, ctx -> error(ctx, new RegistryException(ErrorCode.NOT_FOUND, "no such route: "
        + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(405, this::methodNotAllowed);
    ProbeRoutes.mount(this, view, meters);
    OpenApiDocument.load().mount(this);
    ApiIndex.mount(this);
    router.route("/v1/*").handler(this::authenticate);
    NamespaceRoutes.mount(this, service);
    ServiceRoutes.mount(this, service);
    EndpointRoutes.mount(this, service);
    EndpointBatchRoutes.mount(this, service, store);
    LeaseRoutes.mount(this, service, store);
    DrainRoutes.mount(this, service, store);
    TokenRoutes.mount(this, store.tokens(), managedTokens);
    AuthorizationRoutes.mount(this, service, store);
    watch = new WatchApi(view, meters);
    on(HttpMethod.GET, "/v1/watch", watch::handle);
  }

  /** Ends the open {@code /v1/watch} streams, which would otherwise hold a graceful stop for its whole grace. */
  public void endStreams() {
    watch.close();
  }

  /** Serves requests from now on; until then every request is 503 "starting", /readyz included. */
  public void open() {
    open = true;
  }

  private void openOrStarting(RoutingContext ctx) {
    if (open) {
      ctx.next();
    } else {
      ctx.response().putHeader("Retry-After", "1");
      error(ctx, new RegistryException(ErrorCode.UNAVAILABLE, "the server is starting; retry in a second"));
    }
  }

  /** The router, so that the xDS server can add its routes (they get the same auth and metrics). */
  public Router router() {
    return router;
  }

  /** Registers a JSON route that later modules add, e.g. {@code /v1/proxies}. */
  public void get(String path, Handler<RoutingContext> handler) {
    on(HttpMethod.GET, path, handler);
  }

  /** Registers a JSON POST route that later modules add, e.g. a certificate request's signing; the body is {@link #requestBody}. */
  public void post(String path, Handler<RoutingContext> handler) {
    on(HttpMethod.POST, path, handler);
  }

  /** The body of a request to a route a later module added; null when it had none. */
  public static byte[] requestBody(RoutingContext ctx) {
    return RequestBodyReader.body(ctx);
  }

  /** The caller authenticated for this request (only on /v1 routes). */
  public static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  // ---- plumbing ----

  void on(HttpMethod method, String path, Handler<RoutingContext> handler) {
    allowed.add(method, path);
    router.route(method, path).handler(ctx -> {
      ctx.put(ApiMetrics.ROUTE, path);
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        error(ctx, e);
      }
    });
  }

  private void methodNotAllowed(RoutingContext ctx) {
    String methods = allowed.on(ctx.request().path());
    ctx.response().putHeader("Allow", methods);
    error(ctx, new RegistryException(ErrorCode.METHOD_NOT_ALLOWED, "method " + ctx.request().method()
        + " is not allowed on " + ctx.request().path() + "; allowed: " + methods));
  }

  private void authenticate(RoutingContext ctx) {
    Caller caller = tokens.authenticate(ctx.request().getHeader("Authorization")).orElse(null);
    if (caller == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, new RegistryException(ErrorCode.UNAUTHENTICATED, "a valid bearer token is required"));
      return;
    }
    if (caller.role() == io.tether.registry.auth.Role.READER && ctx.request().method() != HttpMethod.GET) {
      error(ctx, new RegistryException(ErrorCode.PERMISSION_DENIED, "reader tokens may only GET"));
      return;
    }
    ctx.put(CALLER, caller);
    ctx.next();
  }

  static void require(RoutingContext ctx, boolean allowed) {
    if (!allowed) {
      throw new RegistryException(ErrorCode.PERMISSION_DENIED,
          "token '" + caller(ctx).name() + "' may not " + ctx.request().method() + " " + ctx.request().path());
    }
  }

  static void async(RoutingContext ctx, Supplier<CompletableFuture<ApiResponse>> action) {
    Context context = ctx.vertx().getOrCreateContext();
    action.get().whenComplete((response, failure) -> {
      Runnable reply = () -> {
        if (failure != null) {
          error(ctx, failure);
        } else {
          write(ctx, response);
        }
      };
      // Reads usually complete at once, on the event loop: answer without another hop.
      if (Vertx.currentContext() == context) {
        reply.run();
      } else {
        context.runOnContext(v -> reply.run());
      }
    });
  }

  static void write(RoutingContext ctx, ApiResponse r) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(r.status());
    if (r.etag() != null) {
      ctx.response().putHeader("ETag", IfMatchHeaders.etag(r.etag()));
    }
    if (r.body() == null) {
      ctx.response().end();
    } else {
      ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(Json.write(r.body())));
    }
  }

  private void onFailure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      error(ctx, new RegistryException(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than the limit"));
    } else if (ctx.failure() != null) {
      error(ctx, ctx.failure());
    } else {
      error(ctx, new RegistryException(ErrorCode.INTERNAL, "request failed with status " + ctx.statusCode()));
    }
  }

  static void error(RoutingContext ctx, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    RegistryException e = cause instanceof RegistryException r ? r
        : new RegistryException(ErrorCode.INTERNAL, "internal error: " + cause);
    if (e.code() == ErrorCode.INTERNAL) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), cause);
    }
    write(ctx, new ApiResponse(e.code().httpStatus(), ApiErrors.body(e), null));
  }

  static String ns(RoutingContext ctx) {
    return ctx.pathParam("ns");
  }

  static String svc(RoutingContext ctx) {
    return ctx.pathParam("svc");
  }

  static byte[] body(RoutingContext ctx) {
    return RequestBodyReader.body(ctx);
  }

  static io.tether.registry.store.Precondition precondition(RoutingContext ctx) {
    return IfMatchHeaders.parse(ctx.request().getHeader("If-Match"), ctx.request().getHeader("If-None-Match"));
  }
}
