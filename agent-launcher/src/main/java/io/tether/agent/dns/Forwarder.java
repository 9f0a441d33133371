package io.tether.agent.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * Sends a query to the upstream resolvers in order, each with the timeout, and returns the first
 * answer. The query leaves as the client sent it, but with a fresh random id from a fresh socket (a
 * random source port), so that an off-path attacker cannot guess the pair; the answer gets the
 * client's id back and is otherwise relayed byte for byte. A UDP query goes upstream over UDP, and a
 * truncated answer is relayed as it is: the client then retries over TCP, which goes upstream over TCP.
 *
 * <p>Blocking, thread-safe: it runs on the pool threads of AliasDns, one query per thread.
 */
final class Forwarder {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
  private static final SecureRandom IDS = new SecureRandom();
  private static final int MAX_UDP = 65_535;

  private final List<InetSocketAddress> upstreams;
  private final Duration timeout;
  private final OpenSockets open;

  Forwarder(List<InetSocketAddress> upstreams, Duration timeout, OpenSockets open) {
    this.upstreams = List.copyOf(upstreams);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.open = open;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("upstream timeout must be positive: " + timeout);
    }
  }

  /** The first upstream's answer with {@code query}'s id, or null when every upstream failed. */
  byte[] forward(byte[] wire, Message query, boolean tcp) {
    for (InetSocketAddress upstream : upstreams) {
      int id = IDS.nextInt(0x10000);
      try {
        byte[] answer = tcp ? overTcp(upstream, withId(wire, id)) : overUdp(upstream, withId(wire, id), id);
        if (answers(answer, id, query)) {
          return withId(answer, query.getHeader().getID());
        }
        log.debug("upstream {} sent a reply that is no answer to {}", upstream, query.getQuestion());
      } catch (IOException e) {
        log.debug("upstream {} failed for {}: {}", upstream, query.getQuestion(), e.toString());
      }
    }
    return null;
  }

  /**
   * One UDP exchange. The socket is connected, so the kernel passes on datagrams from the upstream
   * only, and an ICMP "port unreachable" ends the wait at once; a datagram with another id (a late
   * answer to an earlier query, a forgery) is skipped until the deadline.
   */
  private byte[] overUdp(InetSocketAddress upstream, byte[] query, int id) throws IOException {
    DatagramSocket socket = open.add(new DatagramSocket());
    try {
      socket.connect(upstream);
      socket.send(new DatagramPacket(query, query.length));
      long deadline = System.nanoTime() + timeout.toNanos();
      byte[] buffer = new byte[MAX_UDP];
      while (true) {
        socket.setSoTimeout(millisUntil(deadline));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        if (packet.getLength() >= 2 && idOf(buffer) == id) {
          return Arrays.copyOf(buffer, packet.getLength());
        }
      }
    } finally {
      open.remove(socket);
    }
  }

  /** One TCP exchange on a connection of its own; the timeout bounds the connect and the answer. */
  private byte[] overTcp(InetSocketAddress upstream, byte[] query) throws IOException {
    Socket socket = open.add(new Socket());
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      socket.connect(upstream, millisUntil(deadline));
      socket.setSoTimeout(millisUntil(deadline));
      TcpFrames.write(socket.getOutputStream(), query);
      byte[] answer = TcpFrames.read(socket.getInputStream());
      if (answer == null) {
        throw new IOException("connection closed without an answer");
      }
      return answer;
    } finally {
      open.remove(socket);
    }
  }

  /** A response with our id to the client's question: anything else is not relayed. */
  private static boolean answers(byte[] answer, int id, Message query) {
    try {
      Message parsed = new Message(answer);
      return parsed.getHeader().getID() == id
          && parsed.getHeader().getFlag(Flags.QR)
          && Objects.equals(parsed.getQuestion(), query.getQuestion());
    } catch (IOException e) {
      return false;
    }
  }

  private static int millisUntil(long deadline) throws SocketTimeoutException {
    long millis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
    if (millis <= 0) {
      throw new SocketTimeoutException("no answer within the upstream timeout");
    }
    return (int) Math.min(millis, Integer.MAX_VALUE);
  }

  private static int idOf(byte[] message) {
    return ((message[0] & 0xFF) << 8) | (message[1] & 0xFF);
  }

  private static byte[] withId(byte[] message, int id) {
    byte[] copy = message.clone();
    copy[0] = (byte) (id >>> 8);
    copy[1] = (byte) id;
    return copy;
  }
}
