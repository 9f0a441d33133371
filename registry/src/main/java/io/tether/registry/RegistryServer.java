package io.tether.registry;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tether.registry.api.ApiHttpServer;
import io.tether.registry.api.ApiTls;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.api.RegistryApi;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.store.KeyLayout;
import io.tether.registry.store.RegistryStore;
import io.tether.registry.store.TokenDirectory;
import io.tether.registry.store.TokenMeters;
import io.tether.registry.view.EtcdRegistryView;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The registry half of {@code tether server}: etcd client, store, view and REST API, started and
 * stopped together. {@link #start} returns once the API listens; the view loads in the background
 * and {@code /readyz} says when it has.
 */
public final class RegistryServer implements AutoCloseable {
  private final Config config;
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Vertx vertx;
  private Client client;
  private EtcdRegistryView view;
  private RegistryStore store;
  private RegistryApi api;
  private ApiHttpServer http;
  private TokenDirectory managedTokens;
  private TokenAuthenticator tokens;

  /** Settings; {@code apiPort} 0 picks a free port; {@code apiTls} null serves plain HTTP. */
  public record Config(List<String> etcdEndpoints, String keyPrefix, String apiHost, int apiPort,
      TokenAuthenticator tokens, Duration etcdTimeout, HttpLimits http, ApiTls apiTls) {
    public Config(List<String> etcdEndpoints, String keyPrefix, String apiHost, int apiPort,
        TokenAuthenticator tokens, Duration etcdTimeout, HttpLimits http) {
      this(etcdEndpoints, keyPrefix, apiHost, apiPort, tokens, etcdTimeout, http, null);
    }

    public Config(List<String> etcdEndpoints, String apiHost, int apiPort, TokenAuthenticator tokens) {
      this(etcdEndpoints, KeyLayout.DEFAULT_PREFIX, apiHost, apiPort, tokens, Duration.ofSeconds(5),
          HttpLimits.defaults());
    }
  }

  public RegistryServer(Config config) {
    this.config = config;
  }

  /** Starts and serves at once: for a registry without routes of other modules. */
  public RegistryServer start() {
    startClosed();
    open();
    return this;
  }

  /**
   * Starts and listens, but answers 503 "starting" until {@link #open}: the API must listen to know its
   * port, and what mounts more routes on it (TetherServer) opens it once they are all there, so that no
   * client ever sees a route missing (a 404) during the start.
   */
  public RegistryServer startClosed() {
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    KeyLayout keys = new KeyLayout(config.keyPrefix());
    client = EtcdClients.connect(config.etcdEndpoints());
    view = new EtcdRegistryView(client, keys, EtcdRegistryView.PROBE_INTERVAL);
    Gauge.builder("tether.registry.view.revision", view, v -> v.current().revision()).register(meters);
    Gauge.builder("tether.registry.view.revision.lag", view, EtcdRegistryView::revisionLag).register(meters);
    Gauge.builder("tether.registry.view.ready", view, v -> v.isReady() ? 1 : 0).register(meters);
    FunctionCounter.builder("tether.registry.view.watch.restarts", view, EtcdRegistryView::watchRestarts)
        .description("etcd watches of the registry that failed and were started again after a re-list")
        .register(meters);
    view.start();
    store = new RegistryStore(client, keys, meters, config.etcdTimeout());
    managedTokens = new TokenDirectory(client, keys, Clock.systemUTC()).start();
    tokens = config.tokens().withManaged(managedTokens);
    TokenMeters.register(managedTokens, meters);
    vertx = Vertx.vertx();
    api = new RegistryApi(vertx, store, view, tokens, managedTokens, meters, config.http());
    http = await(ApiHttpServer.start(vertx, api.router(), config.http(), meters, config.apiHost(), config.apiPort(),
        config.apiTls()).toCompletionStage().toCompletableFuture());
    return this;
  }

  /** Serves every request from now on (after {@link #startClosed}). */
  public void open() {
    api.open();
  }

  public int apiPort() {
    return http.port();
  }

  public EtcdRegistryView view() {
    return view;
  }

  /** The static tokens and the managed ones this server follows (docs/security.md, "Tokens"). */
  public TokenAuthenticator tokens() {
    return tokens;
  }

  public RegistryStore store() {
    return store;
  }

  public RegistryApi api() {
    return api;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  public KeyLayout keys() {
    return new KeyLayout(config.keyPrefix());
  }

  public Client etcdClient() {
    return client;
  }

  @Override
  public void close() {
    if (api != null) {
      api.endStreams();
    }
    if (http != null) {
      await(http.shutdown().toCompletionStage().toCompletableFuture());
    }
    if (view != null) {
      view.close();
    }
    if (managedTokens != null) {
      managedTokens.close();
    }
    if (vertx != null) {
      await(vertx.close().toCompletionStage().toCompletableFuture());
    }
    if (client != null) {
      client.close();
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("registry server start/stop failed: " + e.getMessage(), e);
    }
  }
}
