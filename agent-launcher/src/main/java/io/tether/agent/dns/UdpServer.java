package io.tether.agent.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * The UDP loop: one thread receives every datagram and answers alias names itself (a map lookup).
 * A query to forward goes to the pool, which sends the answer from its thread, so a slow upstream
 * never holds the loop. When the pool's queue is full the query is dropped: the client retries, and
 * an answer after its retry timeout would be of no use anyway. A datagram from a source the server
 * does not answer is dropped unread: it is not an open resolver.
 */
final class UdpServer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(UdpServer.class);
  private static final int MAX_UDP = 65_535;

  private final DatagramSocket socket;
  private final Queries queries;
  private final Executor forwards;
  private final Predicate<InetAddress> sources;

  UdpServer(DatagramSocket socket, Queries queries, Executor forwards, Predicate<InetAddress> sources) {
    this.sources = sources;
    this.socket = socket;
    this.queries = queries;
    this.forwards = forwards;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[MAX_UDP];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.debug("UDP receive failed: {}", e.toString());
        }
        continue;
      }
      if (!sources.test(packet.getAddress())) {
        log.debug("dropped a UDP query from {}: not an allowed source", packet.getSocketAddress());
        continue;
      }
      try {
        handle(Arrays.copyOf(buffer, packet.getLength()), packet.getSocketAddress());
      } catch (RuntimeException e) {
        log.debug("UDP query from {} failed", packet.getSocketAddress(), e); // the loop lives on
      }
    }
  }

  private void handle(byte[] wire, SocketAddress client) {
    Message query = queries.parse(wire, client);
    if (query == null) {
      return;
    }
    byte[] local = queries.local(query);
    if (local != null) {
      send(local, client);
      return;
    }
    try {
      forwards.execute(() -> send(queries.forwarded(wire, query, false), client));
    } catch (RejectedExecutionException e) {
      log.debug("dropped {} from {}: every forwarding thread is busy", query.getQuestion(), client);
    }
  }

  /** DatagramSocket.send is thread-safe: the loop and the pool threads share the socket. */
  private void send(byte[] reply, SocketAddress client) {
    try {
      socket.send(new DatagramPacket(reply, reply.length, client));
    } catch (IOException e) {
      log.debug("UDP reply to {} failed: {}", client, e.toString());
    }
  }
}
