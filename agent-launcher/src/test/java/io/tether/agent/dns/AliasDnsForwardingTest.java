package io.tether.agent.dns;

import static io.tether.agent.dns.DnsProbe.ANY_PORT;
import static io.tether.agent.dns.DnsProbe.LOOPBACK;
import static io.tether.agent.dns.DnsProbe.addresses;
import static io.tether.agent.dns.DnsProbe.ask;
import static io.tether.agent.dns.DnsProbe.askTcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Names that are not ours. The upstream is a second AliasDns with a table of its own: a real DNS
 * server on loopback, so what the front relays is what a resolver sent over the wire.
 */
class AliasDnsForwardingTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private AliasDns upstream;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = started(Map.of("db.internal", "10.0.0.9", "payments.ec2.internal", "10.0.0.5"), List.of(), SHORT);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : closing) {
      closeable.close();
    }
  }

  @Test
  void anUnknownNameIsForwardedAndTheAnswerRelayedWithTheClientsId() throws Exception {
    AliasDns front = front(List.of(upstream.address()), SHORT);
    Message query = DnsProbe.query("db.internal.", Type.A);
    query.getHeader().setID(0x1234);

    try (DnsProbe.Raw client = new DnsProbe.Raw(front.address())) {
      client.send(query.toWire());
      Message reply = client.receive();

      assertThat(reply.getHeader().getID()).isEqualTo(0x1234);
      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(addresses(reply)).containsExactly("10.0.0.9");
    }
  }

  @Test
  void anAliasWithASearchDomainAppendedIsNotOursAndIsForwarded() throws Exception {
    AliasDns front = front(List.of(upstream.address()), SHORT);

    assertThat(addresses(ask(front.address(), "payments.ec2.internal.", Type.A))).containsExactly("10.0.0.5");
    assertThat(addresses(ask(front.address(), "payments.", Type.A))).containsExactly("100.127.0.7");
  }

  @Test
  void forwardsOverTcpWhenTheClientAsksOverTcp() throws Exception {
    AliasDns front = front(List.of(upstream.address()), SHORT);

    assertThat(addresses(askTcp(front.address(), "db.internal.", Type.A))).containsExactly("10.0.0.9");
  }

  @Test
  void upstreamsAreAskedInOrder() throws Exception {
    AliasDns other = started(Map.of("db.internal", "10.0.0.99"), List.of(), SHORT);
    AliasDns front = front(List.of(upstream.address(), other.address()), SHORT);

    assertThat(addresses(ask(front.address(), "db.internal.", Type.A))).containsExactly("10.0.0.9");
  }

  @Test
  void aSilentFirstUpstreamIsGivenTheTimeoutThenTheNextAnswers() throws Exception {
    DatagramSocket silent = silentUdp();
    AliasDns front = front(List.of(address(silent), upstream.address()), SHORT);

    long started = System.nanoTime();
    Message reply = ask(front.address(), "db.internal.", Type.A);

    assertThat(addresses(reply)).containsExactly("10.0.0.9");
    assertThat(elapsed(started)).isGreaterThanOrEqualTo(SHORT);
    silent.receive(new DatagramPacket(new byte[512], 512)); // it was asked first: the query waits for us
  }

  @Test
  void whenNoUpstreamAnswersTheClientGetsServfailWithinTheTimeout() throws Exception {
    AliasDns front = front(List.of(address(silentUdp())), SHORT);

    long started = System.nanoTime();
    Message reply = ask(front.address(), "db.internal.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(elapsed(started)).isBetween(SHORT, SHORT.plusSeconds(2));
  }

  @Test
  void overTcpASilentUpstreamGivesServfailWithinTheTimeout() throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, LOOPBACK); // connects, never answers
    closing.add(silent);
    AliasDns front = front(List.of(new InetSocketAddress(LOOPBACK, silent.getLocalPort())), SHORT);

    long started = System.nanoTime();
    Message reply = askTcp(front.address(), "db.internal.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(elapsed(started)).isBetween(SHORT, SHORT.plusSeconds(2));
  }

  @Test
  void anUpstreamPortThatRefusesEndsTheWaitBeforeTheTimeout() throws Exception {
    DatagramSocket gone = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    InetSocketAddress refused = address(gone);
    gone.close(); // the port is closed: the kernel answers with ICMP port unreachable
    Duration timeout = Duration.ofSeconds(5);
    AliasDns front = front(List.of(refused, upstream.address()), timeout);

    long started = System.nanoTime();
    assertThat(addresses(ask(front.address(), "db.internal.", Type.A))).containsExactly("10.0.0.9");
    assertThat(elapsed(started)).isLessThan(timeout);
  }

  @Test
  void anUpstreamThatIsTheServerItselfIsDropped() throws Exception {
    InetSocketAddress self;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      self = address(probe); // a port free a moment ago, for a server that must know its address ahead
    }
    Duration timeout = Duration.ofSeconds(5);
    AliasDns front = started(Map.of(), List.of(self), timeout, self);

    long started = System.nanoTime();
    assertThat(ask(front.address(), "db.internal.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(elapsed(started)).as("no loop through itself until the timeout").isLessThan(timeout);
  }

  private AliasDns front(List<InetSocketAddress> upstreams, Duration timeout) throws Exception {
    return started(Map.of("payments", "100.127.0.7"), upstreams, timeout);
  }

  private AliasDns started(Map<String, String> names, List<InetSocketAddress> upstreams, Duration timeout)
      throws Exception {
    return started(names, upstreams, timeout, ANY_PORT);
  }

  private AliasDns started(
      Map<String, String> names, List<InetSocketAddress> upstreams, Duration timeout, InetSocketAddress listen)
      throws Exception {
    AliasDns dns = AliasDns.start(listen, () -> names, upstreams, timeout);
    closing.add(dns);
    return dns;
  }

  /** A UDP socket that receives queries and never answers. */
  private DatagramSocket silentUdp() throws Exception {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout((int) DnsProbe.CLIENT_TIMEOUT.toMillis());
    closing.add(socket);
    return socket;
  }

  private static InetSocketAddress address(DatagramSocket socket) {
    return new InetSocketAddress(LOOPBACK, socket.getLocalPort());
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
