package io.tether.agent.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/** The tests' DNS client: dnsjava's SimpleResolver over real sockets, and raw datagrams. */
final class DnsProbe {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final InetSocketAddress ANY_PORT = new InetSocketAddress(LOOPBACK, 0);
  /** Far above every timeout the tests give AliasDns: a client timeout means the server failed. */
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

  private DnsProbe() {}

  static Message ask(InetSocketAddress server, String name, int type) throws IOException {
    return ask(server, query(name, type), false);
  }

  static Message askTcp(InetSocketAddress server, String name, int type) throws IOException {
    return ask(server, query(name, type), true);
  }

  static Message ask(InetSocketAddress server, Message query, boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTCP(tcp);
    resolver.setTimeout(CLIENT_TIMEOUT);
    return resolver.send(query);
  }

  static Message query(String name, int type) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }

  /** The addresses of the answer section, as text. */
  static List<String> addresses(Message reply) {
    return reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
  }

  /** A raw UDP client, for packets SimpleResolver would never send. */
  static final class Raw implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;

    Raw(InetSocketAddress server) throws IOException {
      this.socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
      this.socket.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
      this.server = server;
    }

    void send(byte[] packet) throws IOException {
      socket.send(new DatagramPacket(packet, packet.length, server));
    }

    /** The next datagram the server sends us, parsed. */
    Message receive() throws IOException {
      byte[] buffer = new byte[65_535];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      return new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
