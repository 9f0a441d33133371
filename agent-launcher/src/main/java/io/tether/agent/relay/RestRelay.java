package io.tether.agent.relay;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The host agent's REST side (docs/ecs.md "API on apiPort"): on each listen address, {@code GET
 * /tether/host} and the relay of {@code /v1/*} to the control plane with the host's token, for the
 * task agents, which hold none. The JDK's HTTP server and client: the agent has no HTTP server
 * dependency and needs none for this.
 *
 * <p>Threads: each server's dispatcher thread accepts; requests run on one shared pool of
 * {@value #THREADS} daemon threads {@code tether-host-api-N} (a request blocks its thread while the
 * control plane answers). {@link #close} is called once, by the agent's own thread.
 */
public final class RestRelay implements AutoCloseable {
  private static final int THREADS = 8;
  /** The registry API's own limit: a larger body would be refused there anyway. */
  public static final int MAX_BODY = 64 * 1024;

  /**
   * @param listen the addresses to listen on, each at {@code port}
   * @param hostInfo the body of {@code GET /tether/host}
   */
  public record Config(List<InetAddress> listen, int port, SourceFilter sources, URI controlPlane, String token,
      Supplier<byte[]> hostInfo, RelayHook hook) {}

  private final List<HttpServer> servers;
  private final ExecutorService pool;

  private RestRelay(List<HttpServer> servers, ExecutorService pool) {
    this.servers = servers;
    this.pool = pool;
  }

  /** Binds every listen address or none: a failure to bind one closes those bound already. */
  public static RestRelay start(Config config) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "tether-host-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    RestHandler handler = new RestHandler(config.sources(), new Refusals(), config.hostInfo(),
        new RestForwarder(config.controlPlane(), config.token(), Duration.ofSeconds(3), Duration.ofSeconds(15)),
        config.hook(), MAX_BODY);
    RestRelay relay = new RestRelay(new ArrayList<>(), pool);
    try {
      for (InetAddress address : config.listen()) {
        HttpServer server = bind(new InetSocketAddress(address, config.port()));
        server.createContext("/", handler);
        server.setExecutor(pool);
        server.start();
        relay.servers.add(server);
      }
    } catch (RuntimeException e) {
      relay.close();
      throw e;
    }
    return relay;
  }

  private static HttpServer bind(InetSocketAddress address) {
    try {
      return HttpServer.create(address, 64);
    } catch (IOException e) {
      throw new UncheckedIOException("the REST relay cannot listen on " + address.getAddress().getHostAddress() + ":"
          + address.getPort() + " (" + e.getMessage() + "): is the address on this host, and the port free?", e);
    }
  }

  /** Where it listens, the real port when 0 was asked for. */
  public List<InetSocketAddress> addresses() {
    return servers.stream().map(HttpServer::getAddress).toList();
  }

  /** Stops listening; requests in flight get up to a second to finish. */
  @Override
  public void close() {
    for (HttpServer server : servers) {
      server.stop(1);
    }
    pool.shutdownNow();
  }
}
