package io.tether.main;

import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.registry.api.RegistryApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web console (docs/console.md) on the API port: {@code /ui} and every {@code /ui/...} path answer
 * the console's page, so the page's own paths survive a reload; {@code /ui/assets/...} are its built,
 * content-hashed files from the classpath (the {@code tether-console} module). Nothing here needs a
 * token: the page holds no data, and every call it makes is a {@code /v1} call with the user's token.
 */
public final class ConsoleUi {
  static final String ROOT = "tether-console";
  /** The page loads only its own files and talks only to this server: no inline code, no other origin. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";
  /** Asset names carry a hash of their content, so a cached copy is never stale. */
  private static final long ASSET_MAX_AGE_SECONDS = 365L * 24 * 3600;

  private final Buffer index;
  private final StaticHandler assets = StaticHandler.create(ROOT + "/assets")
      .setCachingEnabled(true)
      .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS)
      .setDirectoryListing(false)
      .setIncludeHidden(false)
      .setDefaultContentEncoding("UTF-8");

  private ConsoleUi(Buffer index) {
    this.index = index;
  }

  /** Adds the console's routes to the API's router (before its 404), when the console is on the classpath. */
  public static void mount(RegistryApi api) {
    ConsoleUi ui = new ConsoleUi(resource(ROOT + "/index.html"));
    api.get("/ui", ui::page);
    api.get("/ui/assets/*", ui::asset);
    api.get("/ui/*", ui::page);
  }

  private void asset(RoutingContext ctx) {
    secure(ctx.response());
    // A missing asset falls through to page(), which answers 404 for it rather than the page.
    assets.handle(ctx);
  }

  private void page(RoutingContext ctx) {
    if (ctx.request().path().startsWith("/ui/assets/")) {
      throw new RegistryException(ErrorCode.NOT_FOUND, "no console asset at " + ctx.request().path());
    }
    if (index == null) {
      throw new RegistryException(ErrorCode.NOT_FOUND,
          "this server was built without the console (the tether-console module): rebuild with ./tether build");
    }
    HttpServerResponse response = secure(ctx.response());
    // The page names the current assets: it is revalidated on every load, which is cheap.
    response.putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(index);
  }

  private static HttpServerResponse secure(HttpServerResponse response) {
    return response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }

  /** The classpath resource's bytes, or null when the console is not on the classpath. */
  private static Buffer resource(String name) {
    try (InputStream in = ConsoleUi.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console's " + name, e);
    }
  }
}
