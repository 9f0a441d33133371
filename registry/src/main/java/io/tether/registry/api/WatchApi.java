package io.tether.registry.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.tether.model.ErrorCode;
import io.tether.model.Names;
import io.tether.model.RegistryException;
import io.tether.registry.auth.Caller;
import io.tether.registry.view.RegistryView;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * {@code GET /v1/watch[?namespace=NS]}: the registry's changes as server-sent events (docs/operations.md,
 * "Watching the registry"). The stream opens with a comment naming the revision it starts after, then
 * sends every later change the caller may read, and a keepalive comment every {@link #KEEPALIVE}.
 */
final class WatchApi {
  static final Duration KEEPALIVE = Duration.ofSeconds(15);
  private static final Buffer KEEPALIVE_FRAME = Buffer.buffer(": keepalive\n\n");

  private final RegistryView view;
  private final WatchFeed feed;

  WatchApi(RegistryView view, MeterRegistry meters) {
    this.view = view;
    this.feed = new WatchFeed(meters);
    view.addListener(feed::onUpdate);
  }

  void handle(RoutingContext ctx) {
    Caller caller = RegistryApi.caller(ctx);
    String only = ctx.queryParams().get("namespace");
    if (only != null) {
      Names.requireLabel("namespace", only);
      if (!caller.canRead(only)) {
        throw new RegistryException(ErrorCode.PERMISSION_DENIED,
            "token '" + caller.name() + "' may not read namespace '" + only + "'");
      }
    }
    if (view.current().revision() == 0) {
      throw new RegistryException(ErrorCode.UNAVAILABLE, "the registry has not loaded from etcd yet");
    }
    Predicate<String> shows = ns -> (only == null || only.equals(ns)) && caller.canRead(ns);
    open(ctx, shows);
  }

  /** Ends every open stream: called before the HTTP server's graceful stop. */
  void close() {
    feed.endAll();
  }

  private void open(RoutingContext ctx, Predicate<String> shows) {
    HttpServerResponse response = ctx.response();
    Context context = Vertx.currentContext();
    response.setChunked(true).putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
    // Registered before the revision is read: every change after it reaches the stream, none twice.
    WatchStream stream = new WatchStream(context, response, shows, feed::droppedSlowClient);
    feed.add(stream);
    long start = view.current().revision();
    stream.start(start);
    stream.write(Buffer.buffer(": watching changes after revision " + start + "\nretry: 1000\n\n"));
    long timer = ctx.vertx().setPeriodic(KEEPALIVE.toMillis(), t -> stream.write(KEEPALIVE_FRAME.copy()));
    response.closeHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      stream.closed();
      feed.remove(stream);
    });
  }
}
