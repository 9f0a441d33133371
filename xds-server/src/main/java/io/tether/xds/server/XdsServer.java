package io.tether.xds.server;

import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.view.RegistryView;
import io.tether.xds.cache.TetherCache;
import io.tether.xds.identity.MeshIdentities;
import io.tether.xds.snapshot.SnapshotPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The xDS half of {@code tether server}: the snapshot publisher following the registry view, the
 * cache, and java-control-plane's ADS service (state-of-the-world and delta) on a gRPC port, with
 * bearer-token auth and optional TLS or mutual TLS.
 *
 * <p>Who owns what, and which way calls go: {@link StreamAdmission} (identity, authorisation,
 * refusals) tells the {@link TetherCache} of each stream's life and the {@link SnapshotPublisher} of
 * each new group; the publisher (rendering state, on its own thread) hands each group's snapshots to
 * the cache; the cache (the served snapshots, the streams and what each holds) answers
 * java-control-plane's watches and calls nobody back.
 */
public final class XdsServer implements AutoCloseable {
  /** Settings; {@code port} 0 picks a free port; TLS is on when cert and key are given, mTLS with a client CA. */
  public record Config(String host, int port, TokenAuthenticator tokens, Path tlsCert, Path tlsKey, Path clientCa) {
    public Config(String host, int port, TokenAuthenticator tokens) {
      this(host, port, tokens, null, null, null);
    }
  }

  /** How often, at most, the streams summary is logged (when it changed). */
  private static final long CENSUS_PERIOD_SECONDS = 10;

  private final Config config;
  /** The xDS meters, made before start; the caller's registry is added to it then (docs/metrics.md). */
  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final TetherCache cache = new TetherCache(meters);
  private final StreamCensus census = new StreamCensus(meters);
  private volatile SnapshotPublisher publisher;
  private final StreamAdmission admission = new StreamAdmission(cache, (g, first) -> publisher.streamAdmitted(g, first), census);
  private final ScheduledExecutorService censusThread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-xds-census");
    t.setDaemon(true);
    return t;
  });
  private Server server;
  private MeshIdentities identities;
  private TokenAuthenticator tokens;

  public XdsServer(Config config) {
    this.config = config;
    this.tokens = config.tokens();
  }

  /**
   * Authenticates with these tokens instead of the config's (the registry's, which follow the managed
   * tokens in etcd: docs/security.md, "Tokens"); their revocations end the calls they authenticated.
   * Before {@link #start}.
   */
  public XdsServer authenticateWith(TokenAuthenticator tokens) {
    this.tokens = tokens;
    return this;
  }

  /**
   * The mesh CA's identities the Envoy groups get their secrets from; before {@link #start}. Without
   * it the server signs with a CA that lives in memory only (tests, tools).
   */
  public XdsServer identities(MeshIdentities identities) {
    this.identities = identities;
    return this;
  }

  /** The identities served; null before {@link #start}. */
  public MeshIdentities identities() {
    return identities;
  }

  public XdsServer start(RegistryView view, MeterRegistry meters) {
    return start(view, meters, List.of());
  }

  /** As {@link #start(RegistryView, MeterRegistry)}, naming this replica in the connected-proxies gauge. */
  public XdsServer start(RegistryView view, MeterRegistry meters, String replica) {
    census.replica(replica);
    return start(view, meters, List.of());
  }

  /** As {@link #start(RegistryView, MeterRegistry)}, with more stream callbacks (e.g. to time ACKs). */
  public XdsServer start(RegistryView view, MeterRegistry registry, List<DiscoveryServerCallbacks> observers) {
    meters.add(registry);
    if (identities == null) {
      identities = MeshIdentities.ephemeral(registry);
    }
    publisher = new SnapshotPublisher(cache, view, registry, identities).start();
    tokens.onInvalidated(admission::revoked);
    List<DiscoveryServerCallbacks> callbacks = new ArrayList<>(List.of(admission));
    callbacks.addAll(observers);
    V3DiscoveryServer discovery = new V3DiscoveryServer(callbacks, cache, new DefaultExecutorGroup(),
        new PackOnceSerializer());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
        .addService(discovery.getAggregatedDiscoveryServiceImpl())
        .intercept(new XdsAuthInterceptor(tokens,
            new PeerCertificates(identities.trustDomain(), identities.issuer().ca()), admission, census))
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(4 * 1024 * 1024);
    if (config.tlsCert() != null) {
      builder.sslContext(tls());
    }
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for xDS on " + config.host() + ":" + config.port(), e);
    }
    censusThread.scheduleAtFixedRate(census::logIfChanged, CENSUS_PERIOD_SECONDS, CENSUS_PERIOD_SECONDS,
        TimeUnit.SECONDS);
    return this;
  }

  public int port() {
    return server.getPort();
  }

  public TetherCache cache() {
    return cache;
  }

  public StreamAdmission admission() {
    return admission;
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (publisher != null) {
      publisher.close();
    }
    censusThread.shutdownNow();
  }

  /**
   * The xDS port's TLS. Client certificates are asked for and verified against the mesh CA (a mesh
   * identity is a credential, {@link PeerCertificates}) and {@code --xds-client-ca}; they are required
   * only with {@code --xds-client-ca}, as before the mesh CA existed.
   */
  private io.netty.handler.ssl.SslContext tls() {
    try {
      SslContextBuilder ssl = GrpcSslContexts.forServer(config.tlsCert().toFile(), config.tlsKey().toFile());
      List<X509Certificate> trusted = new ArrayList<>(List.of(identities.issuer().ca().trustAnchor()));
      if (config.clientCa() != null) {
        trusted.addAll(readCertificates(config.clientCa()));
      }
      return ssl.trustManager(trusted)
          .clientAuth(config.clientCa() != null ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
          .build();
    } catch (IOException | GeneralSecurityException e) {
      throw new UncheckedIOException("cannot load the xDS TLS certificate, key or client CA",
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  private static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
    }
  }
}
