package io.tether.agent.relay;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * control plane answers, at most {@link #UPSTREAM_TIMEOUT}), behind a queue of at most {@value #QUEUE}
 * requests. A request that finds the queue full is answered 503 {@code UNAVAILABLE} by one of
 * {@value #BUSY_THREADS} threads {@code tether-host-api-busy-N} (behind their own queue of {@value #QUEUE});
 * when those are full too, its connection is closed. So no request waits for long behind others: a
 * caller that gave up is not answered, nor its write applied, long after it retried.
 * {@link #close} is called once, by the agent's own thread.
 */
public final class RestRelay implements AutoCloseable {
  static final int THREADS = 8;
  /** The requests that may wait for one of the {@value #THREADS} threads. */
  public static final int QUEUE = 32;
  static final int BUSY_THREADS = 2;
  /**
   * How long the relay waits for the control plane (connect included): shorter than the agent's
   * {@code RegistryClient} timeout (5 s), so the caller gets the relay's 504 and not a timeout of its own
   * while the relay still works on the request it retries.
   */
  public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(4);
  /** The registry API's own limit: a larger body would be refused there anyway. */
  public static final int MAX_BODY = 64 * 1024;

  /**
   * @param listen the addresses to listen on, each at {@code port}
   * @param serverCa the CA an https {@code controlPlane}'s certificate is trusted by, or null for the JVM's CAs
   * @param hostInfo the body of {@code GET /tether/host}
   */
  public record Config(List<InetAddress> listen, int port, SourceFilter sources, URI controlPlane, Path serverCa,
      String token, Supplier<byte[]> hostInfo, RelayHook hook) {}

  /**
   * How long a request may take to arrive, and its answer to be written, in seconds: past it the JDK
   * server closes the connection. So a client that sends its request slowly (or part of it and then
   * nothing) does not hold one of the {@value #THREADS} threads, which block on reading it, for long.
   */
  public static final long MAX_REQUEST_SECONDS = 10;

  static {
    // Read once, when the JDK server's configuration class initialises (the first HttpServer.create in
    // the JVM): set here, before this class creates any. A value set on the command line wins.
    limit("sun.net.httpserver.maxReqTime");
    limit("sun.net.httpserver.maxRspTime");
  }

  private static void limit(String property) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Long.toString(MAX_REQUEST_SECONDS));
    }
  }

  private final List<HttpServer> servers;
  private final ThreadPoolExecutor pool;
  private final ThreadPoolExecutor busy;

  private RestRelay(List<HttpServer> servers, ThreadPoolExecutor pool, ThreadPoolExecutor busy) {
    this.servers = servers;
    this.pool = pool;
    this.busy = busy;
  }

  /** The threads that answer 503 to what the full queue turned away. */
  static final class BusyThread extends Thread {
    BusyThread(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
    }
  }

  /** Binds every listen address or none: a failure to bind one closes those bound already. */
  public static RestRelay start(Config config) {
    AtomicInteger n = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    // The busy threads' own rejection throws: the JDK server then closes the connection.
    ThreadPoolExecutor busy = new ThreadPoolExecutor(BUSY_THREADS, BUSY_THREADS, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> new BusyThread(r, "tether-host-api-busy-" + b.incrementAndGet()),
        (r, executor) -> {
          throw new RejectedExecutionException("the host agent's REST relay is overloaded");
        });
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "tether-host-api-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, (r, executor) -> busy.execute(r));
    RestHandler handler = new RestHandler(config.sources(), new Refusals(), config.hostInfo(),
        new RestForwarder(config.controlPlane(), config.serverCa(), config.token(), Duration.ofSeconds(2),
            UPSTREAM_TIMEOUT),
        config.hook(), MAX_BODY, () -> Thread.currentThread() instanceof BusyThread);
    RestRelay relay = new RestRelay(new ArrayList<>(), pool, busy);
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
    busy.shutdownNow();
  }
}
