package io.tether.agent.dns;

import static io.tether.agent.dns.DnsProbe.ANY_PORT;
import static io.tether.agent.dns.DnsProbe.addresses;
import static io.tether.agent.dns.DnsProbe.askTcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Packets no resolver should send, connections carrying several queries, and close(). */
class AliasDnsRobustnessTest {
  private AliasDns dns;

  @BeforeEach
  void start() throws Exception {
    dns = AliasDns.start(ANY_PORT, () -> Map.of("payments", "100.127.0.7"), List.of(), Duration.ofMillis(300));
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  @Test
  void malformedDatagramsAndResponsesAreDroppedAndTheNextQueryIsAnswered() throws Exception {
    Message response = DnsProbe.query("payments.", Type.A);
    response.getHeader().setFlag(Flags.QR);
    Message valid = DnsProbe.query("payments.", Type.A);
    valid.getHeader().setID(0x4242);

    try (DnsProbe.Raw client = new DnsProbe.Raw(dns.address())) {
      client.send(new byte[0]);
      client.send(new byte[] {1, 2, 3});
      client.send(new byte[] {0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}); // one question announced, none there
      client.send(response.toWire());
      client.send(valid.toWire());

      Message reply = client.receive();
      assertThat(reply.getHeader().getID()).as("the first reply is the valid query's").isEqualTo(0x4242);
      assertThat(addresses(reply)).containsExactly("100.127.0.7");
    }
  }

  @Test
  void aMalformedMessageOverTcpClosesTheConnectionAndTheServerServesOn() throws Exception {
    try (Socket socket = new Socket(dns.address().getAddress(), dns.address().getPort())) {
      socket.setSoTimeout((int) DnsProbe.CLIENT_TIMEOUT.toMillis());
      TcpFrames.write(socket.getOutputStream(), new byte[] {9, 9, 9});

      assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
    }
    assertThat(addresses(askTcp(dns.address(), "payments.", Type.A))).containsExactly("100.127.0.7");
  }

  @Test
  void oneTcpConnectionCarriesSeveralQueries() throws Exception {
    Message first = DnsProbe.query("payments.", Type.A);
    Message second = DnsProbe.query("payments.", Type.AAAA);
    try (Socket socket = new Socket(dns.address().getAddress(), dns.address().getPort())) {
      socket.setSoTimeout((int) DnsProbe.CLIENT_TIMEOUT.toMillis());
      TcpFrames.write(socket.getOutputStream(), first.toWire());
      TcpFrames.write(socket.getOutputStream(), second.toWire());
      InputStream in = socket.getInputStream();

      Message one = new Message(TcpFrames.read(in));
      Message two = new Message(TcpFrames.read(in));

      assertThat(one.getHeader().getID()).isEqualTo(first.getHeader().getID());
      assertThat(addresses(one)).containsExactly("100.127.0.7");
      assertThat(two.getHeader().getID()).isEqualTo(second.getHeader().getID());
      assertThat(addresses(two)).isEmpty();
    }
  }

  @Test
  void closeGivesBackBothPortsAndEndsEveryThread() throws Exception {
    askTcp(dns.address(), "unknown.", Type.A); // the pools have threads to end
    DnsProbe.ask(dns.address(), "unknown.", Type.A);
    String prefix = "tether-dns-" + dns.address().getPort() + "-";
    assertThat(threadsNamed(prefix)).isNotEmpty();

    dns.close();

    assertThat(threadsNamed(prefix)).isEmpty();
    new DatagramSocket(dns.address()).close();
    new ServerSocket(dns.address().getPort(), 50, dns.address().getAddress()).close();
    dns.close(); // twice is harmless
  }

  private static List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(prefix))
        .toList();
  }
}
