package io.tether.agent.dns;

import static io.tether.agent.dns.DnsProbe.ANY_PORT;
import static io.tether.agent.dns.DnsProbe.addresses;
import static io.tether.agent.dns.DnsProbe.ask;
import static io.tether.agent.dns.DnsProbe.askTcp;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The alias names AliasDns answers itself, over UDP and TCP. No upstream: anything forwarded fails. */
class AliasDnsTest {
  private final AtomicReference<Map<String, String>> names =
      new AtomicReference<>(Map.of("payments", "100.127.0.7", "orders.prod.internal", "100.127.0.8", "legacy.", "100.127.0.9"));
  private AliasDns dns;

  @BeforeEach
  void start() throws Exception {
    dns = AliasDns.start(ANY_PORT, names::get, List.of(), Duration.ofMillis(500));
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  @Test
  void answersAnAliasWithItsAddressAuthoritativelyForFiveSeconds() throws Exception {
    Message reply = ask(dns.address(), "payments.", Type.A);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
    List<Record> answers = reply.getSection(Section.ANSWER);
    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).getType()).isEqualTo(Type.A);
    assertThat(answers.get(0).getTTL()).isEqualTo(5);
    assertThat(answers.get(0).rdataToString()).isEqualTo("100.127.0.7");
  }

  @Test
  void matchesNamesCaseInsensitivelyAndEchoesTheQuestionsCase() throws Exception {
    Message reply = ask(dns.address(), "Orders.PROD.internal.", Type.A);

    assertThat(addresses(reply)).containsExactly("100.127.0.8");
    assertThat(reply.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("Orders.PROD.internal.");
  }

  @Test
  void aTableKeyWithTheTrailingDotMatchesToo() throws Exception {
    assertThat(addresses(ask(dns.address(), "legacy.", Type.A))).containsExactly("100.127.0.9");
  }

  @Test
  void aNameAddedToTheTableLaterResolvesAtOnce() throws Exception {
    assertThat(ask(dns.address(), "inventory.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);

    names.set(Map.of("inventory", "100.127.0.10"));

    assertThat(addresses(ask(dns.address(), "inventory.", Type.A))).containsExactly("100.127.0.10");
    assertThat(ask(dns.address(), "payments.", Type.A).getRcode())
        .as("a name the new table dropped is no longer ours")
        .isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void aaaaForAnAliasIsNodata() throws Exception {
    Message reply = ask(dns.address(), "payments.", Type.AAAA);

    assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    assertThat(reply.getSection(Section.AUTHORITY)).isEmpty();
  }

  @Test
  void otherTypesForAnAliasAreNodataToo() throws Exception {
    for (int type : new int[] {Type.TXT, Type.MX, Type.SRV, Type.HTTPS}) {
      Message reply = ask(dns.address(), "payments.", type);
      assertThat(reply.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
      assertThat(reply.getSection(Section.ANSWER)).as(Type.string(type)).isEmpty();
    }
  }

  @Test
  void answersOverTcp() throws Exception {
    Message reply = askTcp(dns.address(), "payments.", Type.A);

    assertThat(addresses(reply)).containsExactly("100.127.0.7");
    assertThat(askTcp(dns.address(), "payments.", Type.AAAA).getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void aQueryWithEdnsGetsAnEdnsAnswer() throws Exception {
    Message query = DnsProbe.query("payments.", Type.A);
    query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0), Section.ADDITIONAL);

    Message reply = ask(dns.address(), query, false);

    assertThat(addresses(reply)).containsExactly("100.127.0.7");
    assertThat(reply.getOPT()).isNotNull();
  }

  @Test
  void anAliasWhoseAddressIsNotIpv4IsServfail() throws Exception {
    names.set(Map.of("broken", "not-an-address"));

    assertThat(ask(dns.address(), "broken.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }
}
