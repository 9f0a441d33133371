package io.tether.agent.relay;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent's xDS side (docs/ecs.md "ADS on xdsPort"): on each listen address, a gRPC server that
 * relays every call, whatever its method, byte for byte to the control plane's xDS server, adding
 * the host's bearer token ({@link RelayMethods}, {@link RelayCall}). The token is scoped to the
 * namespace, so the server pins every relayed node to it. Callers outside {@code allowedSources} are
 * refused with PERMISSION_DENIED ({@link SourceInterceptor}).
 *
 * <p>Threads: gRPC's (the servers' and the channel's executors); see {@link RelayCall} for who calls
 * what. {@link #close} is called once, by the agent's own thread.
 */
public final class AdsRelay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdsRelay.class);
  /** As the xDS server accepts from its clients. */
  private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  /**
   * @param listen the addresses to listen on, each at {@code port}
   * @param upstreamCa the CA that verifies the xDS server's certificate, or null for plaintext
   */
  public record Config(List<InetAddress> listen, int port, SourceFilter sources, String upstreamHost,
      int upstreamPort, Path upstreamCa, String token) {}

  private final List<Server> servers = new ArrayList<>();
  private final ManagedChannel upstream;
  private final OpenCalls open = new OpenCalls();

  private AdsRelay(ManagedChannel upstream) {
    this.upstream = upstream;
  }

  /** Binds every listen address or none: a failure to bind one closes those bound already. */
  public static AdsRelay start(Config config) {
    AdsRelay relay = new AdsRelay(UpstreamChannel.open(config.upstreamHost(), config.upstreamPort(), config.upstreamCa()));
    RelayMethods methods = new RelayMethods(relay.upstream, config.token(), relay.open);
    SourceInterceptor sources = new SourceInterceptor(config.sources(), new Refusals());
    try {
      for (InetAddress address : config.listen()) {
        relay.servers.add(bind(new InetSocketAddress(address, config.port()), methods, sources));
      }
    } catch (RuntimeException e) {
      relay.close();
      throw e;
    }
    return relay;
  }

  private static Server bind(InetSocketAddress address, RelayMethods methods, SourceInterceptor sources) {
    try {
      return NettyServerBuilder.forAddress(address)
          .fallbackHandlerRegistry(methods)
          .intercept(sources)
          .maxInboundMessageSize(MAX_REQUEST_BYTES)
          // Our own pings: a client gone without a FIN (a dead task's network namespace, a NAT entry
          // dropped) is noticed within 40 s, and its relayed upstream stream ended, instead of never.
          .keepAliveTime(30, TimeUnit.SECONDS)
          .keepAliveTimeout(10, TimeUnit.SECONDS)
          // The clients' pings: Envoy sends none on its xDS cluster (its bootstrap sets only TCP keepalive,
          // EnvoyBootstrap), and grpc clients cannot ping more often than every 10 s (grpc-java's floor):
          // allowed, with or without calls, so no client is GOAWAY'd with too_many_pings.
          .permitKeepAliveTime(10, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("the ADS relay cannot listen on " + address.getAddress().getHostAddress() + ":"
          + address.getPort() + " (" + e.getMessage() + "): is the address on this host, and the port free?", e);
    }
  }

  /** Where it listens, the real port when 0 was asked for. */
  public List<InetSocketAddress> addresses() {
    return servers.stream().map(s -> (InetSocketAddress) s.getListenSockets().get(0)).toList();
  }

  /** The relayed calls in flight. */
  public int openCalls() {
    return open.size();
  }

  /**
   * Stops: no new calls, then every relayed call in flight ends with UNAVAILABLE, which makes its Envoy
   * reconnect (to the restarted agent) rather than give up.
   */
  @Override
  public void close() {
    servers.forEach(Server::shutdown);
    open.stopAll();
    for (Server server : servers) {
      awaitOrForce(server);
    }
    upstream.shutdownNow();
    try {
      upstream.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitOrForce(Server server) {
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("ADS relay: calls still open 5 s after stopping; closing them");
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }
}
