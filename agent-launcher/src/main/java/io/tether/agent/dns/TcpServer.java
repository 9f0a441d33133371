package io.tether.agent.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * DNS over TCP, where clients retry truncated answers. One thread accepts; each connection is served
 * by a pool thread, query after query, and that thread may block on an upstream: it holds nothing
 * else. A connection idle for {@link #IDLE} is closed (RFC 7766 asks servers to close idle ones), and so
 * is one that sends a malformed message. A connection the pool has no room for is closed at once, as
 * is one from a source the server does not answer (it is not an open resolver). Every connection is
 * closed {@link #DEADLINE} after it was accepted, however busy, so a client that trickles bytes does not
 * hold a thread.
 */
final class TcpServer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(TcpServer.class);
  static final Duration IDLE = Duration.ofSeconds(5);
  /** How long a connection may last in all. */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  private final ServerSocket server;
  private final Queries queries;
  private final Executor connections;
  private final OpenSockets open;
  private final Predicate<InetAddress> sources;
  private final ScheduledExecutorService deadlines;

  TcpServer(ServerSocket server, Queries queries, Executor connections, OpenSockets open,
      Predicate<InetAddress> sources, ScheduledExecutorService deadlines) {
    this.sources = sources;
    this.deadlines = deadlines;
    this.server = server;
    this.queries = queries;
    this.connections = connections;
    this.open = open;
  }

  @Override
  public void run() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          log.debug("TCP accept failed: {}", e.toString());
        }
        continue;
      }
      if (!sources.test(client.getInetAddress())) {
        log.debug("closed a TCP connection from {}: not an allowed source", client.getRemoteSocketAddress());
        OpenSockets.closeQuietly(client);
        continue;
      }
      try {
        connections.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        log.debug("closed a TCP connection from {}: every TCP thread is busy", client.getRemoteSocketAddress());
        OpenSockets.closeQuietly(client);
      }
    }
  }

  private void serve(Socket client) {
    ScheduledFuture<?> deadline = null;
    try {
      open.add(client);
      deadline = deadlines.schedule(() -> OpenSockets.closeQuietly(client), DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      client.setSoTimeout((int) IDLE.toMillis());
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      for (byte[] wire = TcpFrames.read(in); wire != null; wire = TcpFrames.read(in)) {
        byte[] reply = answer(wire, client);
        if (reply == null) {
          return; // malformed: a stream we cannot parse may be out of step with its frames too
        }
        TcpFrames.write(out, reply);
      }
    } catch (SocketTimeoutException e) {
      log.debug("closed the idle TCP connection from {}", client.getRemoteSocketAddress());
    } catch (IOException | RuntimeException e) {
      log.debug("TCP connection from {} failed: {}", client.getRemoteSocketAddress(), e.toString());
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
      open.remove(client);
    }
  }

  private byte[] answer(byte[] wire, Socket client) {
    Message query = queries.parse(wire, client.getRemoteSocketAddress());
    if (query == null) {
      return null;
    }
    byte[] local = queries.local(query);
    return local != null ? local : queries.forwarded(wire, query, true);
  }
}
