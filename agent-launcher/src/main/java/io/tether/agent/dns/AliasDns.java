package io.tether.agent.dns;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.net.InetAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server bridge-mode tasks resolve through (see package-info): the alias table's names are
 * answered here, every other name is forwarded to the host's resolvers.
 *
 * <p>Behaviour, for a query of class IN whose name, lower-cased and without the root's dot, is a key
 * of the table: type A gets the table's address, authoritative, TTL 5 s; any other type gets NOERROR
 * with no records (NODATA). Only the exact name: {@code payments.ec2.internal}, a search domain
 * appended to the alias {@code payments}, is not ours and is forwarded, as is everything else. The
 * upstreams are tried in order, each with the timeout, so a client waits at most their number times
 * the timeout; when none answers it gets SERVFAIL. Malformed packets and responses are dropped (a TCP
 * connection is closed) and logged at DEBUG.
 *
 * <p>Threads, per instance, all daemons named {@code tether-dns-<port>-*}:
 * <ul>
 *   <li>{@code udp}: receives every datagram and answers aliases itself; forwarding goes to the pool.
 *   <li>{@code fwd-N} ({@value #FORWARD_THREADS}, queue {@value #FORWARD_QUEUE}): one forwarded UDP
 *       query each; a query that finds the queue full is dropped and the client retries.
 *   <li>{@code tcp}: accepts; {@code conn-N} ({@value #TCP_THREADS}): one connection each, which
 *       forwards on its own thread; {@code deadline-N} (one) closes a connection past its total deadline.
 * </ul>
 * No state is shared between them but the sockets (whose send and close are thread-safe), the names
 * supplier, which is therefore called concurrently and must be thread-safe and non-blocking (a
 * volatile reference to an immutable map), and the set of open sockets, which close() empties.
 */
public final class AliasDns implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AliasDns.class);
  static final int FORWARD_THREADS = 8;
  static final int FORWARD_QUEUE = 64;
  static final int TCP_THREADS = 4;
  private static final int TCP_QUEUE = 16;
  private static final int BIND_ATTEMPTS = 5;
  private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(2);

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final InetSocketAddress address;
  private final OpenSockets open = new OpenSockets();
  private final DnsThreads threads;
  private final ThreadPoolExecutor forwards;
  private final ThreadPoolExecutor connections;
  private final ScheduledThreadPoolExecutor deadlines;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AliasDns(DatagramSocket udp, ServerSocket tcp) {
    this.udp = udp;
    this.tcp = tcp;
    this.address = new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    this.threads = new DnsThreads("tether-dns-" + address.getPort());
    this.forwards = pool("fwd", FORWARD_THREADS, FORWARD_QUEUE);
    this.connections = pool("conn", TCP_THREADS, TCP_QUEUE);
    this.deadlines = new ScheduledThreadPoolExecutor(1, threads.pool("deadline"));
    this.deadlines.setRemoveOnCancelPolicy(true);
  }

  /**
   * Binds UDP and TCP on {@code listen} (port 0: a free port, the same for both) and starts serving.
   * An upstream equal to the bound address is dropped: it would forward to itself.
   */
  public static AliasDns start(
      InetSocketAddress listen,
      Supplier<Map<String, String>> names,
      List<InetSocketAddress> upstreams,
      Duration upstreamTimeout)
      throws IOException {
    return start(listen, names, upstreams, upstreamTimeout, source -> true);
  }

  /**
   * As {@link #start(InetSocketAddress, Supplier, List, Duration)}, answering only the sources that
   * {@code sources} allows: a UDP query from another is dropped, a TCP connection closed, unanswered.
   */
  public static AliasDns start(
      InetSocketAddress listen,
      Supplier<Map<String, String>> names,
      List<InetSocketAddress> upstreams,
      Duration upstreamTimeout,
      Predicate<InetAddress> sources)
      throws IOException {
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(sources, "sources");
    AliasDns dns = bind(Objects.requireNonNull(listen, "listen"));
    try {
      List<InetSocketAddress> others = ResolvConf.without(upstreams, dns.address);
      Queries queries = new Queries(names, new Forwarder(others, upstreamTimeout, dns.open));
      dns.threads.named("udp", new UdpServer(dns.udp, queries, dns.forwards, sources)).start();
      dns.threads.named("tcp", new TcpServer(dns.tcp, queries, dns.connections, dns.open, sources,
          dns.deadlines)).start();
      log.info("DNS on {} (UDP and TCP), forwarding to {}", dns.address, others);
      return dns;
    } catch (RuntimeException e) {
      dns.close();
      throw e;
    }
  }

  /** The nameservers of a resolv.conf, in order, port 53. */
  public static List<InetSocketAddress> upstreamsFrom(Path resolvConf) throws IOException {
    // ISO-8859-1 reads any bytes: a stray non-UTF-8 comment must not hide the nameservers.
    return ResolvConf.nameservers(Files.readAllLines(resolvConf, StandardCharsets.ISO_8859_1));
  }

  /** The nameservers of a resolv.conf without {@code listen}, so that the server does not forward to itself. */
  public static List<InetSocketAddress> upstreamsFrom(Path resolvConf, InetSocketAddress listen)
      throws IOException {
    return ResolvConf.without(upstreamsFrom(resolvConf), listen);
  }

  /** Where the server is bound: the port is the real one when start() was given 0. */
  public InetSocketAddress address() {
    return address;
  }

  /** Closes the sockets, which ends every exchange in flight, and waits for the threads to end. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    udp.close();
    OpenSockets.closeQuietly(tcp);
    open.closeAll();
    forwards.shutdownNow();
    connections.shutdownNow();
    deadlines.shutdownNow();
    threads.join(CLOSE_PATIENCE);
    log.info("DNS on {} stopped", address);
  }

  private ThreadPoolExecutor pool(String role, int size, int queue) {
    return new ThreadPoolExecutor(
        size, size, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), threads.pool(role));
  }

  /**
   * UDP first, then TCP on the same port. With port 0 the kernel picks the UDP port, and another
   * process may hold that port for TCP: then both are given back and a new port is tried.
   */
  private static AliasDns bind(InetSocketAddress listen) throws IOException {
    for (int attempt = 1; ; attempt++) {
      DatagramSocket udp = new DatagramSocket(listen);
      ServerSocket tcp = new ServerSocket();
      try {
        tcp.setReuseAddress(true); // a restart must not wait for the last connections' TIME_WAIT
        tcp.bind(new InetSocketAddress(listen.getAddress(), udp.getLocalPort()));
        return new AliasDns(udp, tcp);
      } catch (IOException e) {
        udp.close();
        tcp.close();
        boolean retry = e instanceof BindException && listen.getPort() == 0 && attempt < BIND_ATTEMPTS;
        if (!retry) {
          throw e;
        }
      }
    }
  }
}
