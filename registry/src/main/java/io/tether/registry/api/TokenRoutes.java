package io.tether.registry.api;

import static io.tether.registry.api.RegistryApi.async;
import static io.tether.registry.api.RegistryApi.body;
import static io.tether.registry.api.RegistryApi.caller;
import static io.tether.registry.api.RegistryApi.require;

import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import io.tether.model.json.Json;
import io.tether.registry.auth.ManagedToken;
import io.tether.registry.store.TokenDirectory;
import io.tether.registry.store.TokenStore;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The managed tokens' routes, admin only: mint, list, get, revoke (docs/security.md, "Tokens"). The
 * secret is in the answer to the mint only; no answer carries a digest. A write answers once this
 * server's {@link TokenDirectory} has applied it, so that the token works, or fails, here at once.
 */
final class TokenRoutes {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  /** How long a write's answer waits for this server's directory to see it. */
  private static final Duration SEEN = Duration.ofSeconds(1);

  private final TokenStore store;
  private final TokenDirectory directory;
  private final Clock clock;

  private TokenRoutes(TokenStore store, TokenDirectory directory, Clock clock) {
    this.store = store;
    this.directory = directory;
    this.clock = clock;
  }

  static void mount(RegistryApi api, TokenStore store, TokenDirectory directory) {
    TokenRoutes routes = new TokenRoutes(store, directory, Clock.systemUTC());
    api.on(HttpMethod.POST, "/v1/tokens", ctx -> admin(ctx, () -> routes.create(ctx)));
    api.on(HttpMethod.GET, "/v1/tokens", ctx -> admin(ctx, routes::list));
    api.on(HttpMethod.GET, "/v1/tokens/:id", ctx -> admin(ctx, () -> routes.get(id(ctx))));
    api.on(HttpMethod.DELETE, "/v1/tokens/:id", ctx -> admin(ctx, () -> routes.revoke(id(ctx))));
  }

  private static void admin(RoutingContext ctx, java.util.function.Supplier<CompletableFuture<ApiResponse>> action) {
    require(ctx, caller(ctx).canConfigure());
    async(ctx, action);
  }

  private CompletableFuture<ApiResponse> create(RoutingContext ctx) {
    TokenRequest request = Json.parse(body(ctx), TokenRequest.class);
    String secret = io.tether.registry.auth.TokenAuthenticator.newManagedToken();
    ManagedToken token = request.mint(newId(), secret, clock.instant());
    return store.create(token)
        .thenCompose(written -> directory.reached(written.revision(), SEEN))
        .thenApply(seen -> new ApiResponse(201, TokenView.minted(token, secret), null));
  }

  private CompletableFuture<ApiResponse> list() {
    return store.list().thenApply(all -> ApiResponse.ok(Map.of("items",
        all.stream().map(t -> TokenView.of(t, clock.instant())).toList())));
  }

  private CompletableFuture<ApiResponse> get(String id) {
    return store.get(id).thenApply(t -> ApiResponse.ok(TokenView.of(t, clock.instant())));
  }

  private CompletableFuture<ApiResponse> revoke(String id) {
    return store.revoke(id).thenCompose(revision -> directory.reached(revision, SEEN))
        .thenApply(seen -> ApiResponse.noContent());
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      throw new RegistryException(ErrorCode.INVALID_ARGUMENT, "token id must be 16 lowercase hex digits", "id");
    }
    return id;
  }

  private static String newId() {
    byte[] random = new byte[8];
    new java.security.SecureRandom().nextBytes(random);
    return java.util.HexFormat.of().formatHex(random);
  }
}
