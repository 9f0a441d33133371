package io.tether.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tether.agent.relay.SourceFilter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Only the allowed sources are answered: 127.0.0.1 is, 127.0.0.2 (also loopback) is not. */
class AliasDnsSourceFilterTest {
  private static final InetAddress ALLOWED = address("127.0.0.1");
  private static final InetAddress OTHER = address("127.0.0.2");
  private AliasDns dns;

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void start() throws IOException {
    SourceFilter sources = SourceFilter.parse("allowedSources", List.of("127.0.0.1/32"));
    dns = AliasDns.start(new InetSocketAddress(ALLOWED, 0), () -> Map.of("payments", "100.127.0.7"), List.of(),
        Duration.ofMillis(500), sources::allows);
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private static byte[] query() throws IOException {
    return DnsProbe.query("payments.", Type.A).toWire();
  }

  @Test
  void aUdpQueryFromAnotherSourceIsDroppedAndOneFromAnAllowedSourceAnswered() throws IOException {
    try (DatagramSocket other = new DatagramSocket(new InetSocketAddress(OTHER, 0));
        DatagramSocket allowed = new DatagramSocket(new InetSocketAddress(ALLOWED, 0))) {
      byte[] q = query();
      other.send(new DatagramPacket(q, q.length, dns.address()));
      allowed.send(new DatagramPacket(q, q.length, dns.address()));

      allowed.setSoTimeout(10_000);
      DatagramPacket reply = new DatagramPacket(new byte[512], 512);
      allowed.receive(reply);
      assertThat(DnsProbe.addresses(new Message(Arrays.copyOf(reply.getData(), reply.getLength()))))
          .containsExactly("100.127.0.7");
      // One thread answers both in the order they came: the other's answer would have been sent first.
      other.setSoTimeout(200);
      assertThatThrownBy(() -> other.receive(new DatagramPacket(new byte[512], 512)))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aTcpConnectionFromAnotherSourceIsClosedUnanswered() throws IOException {
    try (Socket other = new Socket(dns.address().getAddress(), dns.address().getPort(), OTHER, 0)) {
      other.setSoTimeout(10_000);
      try {
        TcpFrames.write(other.getOutputStream(), query());
        assertThat(other.getInputStream().read()).isEqualTo(-1);
      } catch (IOException reset) {
        // closed before or while we wrote: also unanswered
        assertThat(reset).isNotInstanceOf(SocketTimeoutException.class);
      }
    }
    try (Socket allowed = new Socket(dns.address().getAddress(), dns.address().getPort(), ALLOWED, 0)) {
      allowed.setSoTimeout(10_000);
      TcpFrames.write(allowed.getOutputStream(), query());
      assertThat(DnsProbe.addresses(new Message(TcpFrames.read(allowed.getInputStream()))))
          .containsExactly("100.127.0.7");
    }
  }
}
