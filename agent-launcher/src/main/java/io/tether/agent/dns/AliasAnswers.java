package io.tether.agent.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The answers AliasDns gives itself: the alias table's names, and SERVFAIL. Stateless. */
final class AliasAnswers {
  private static final Logger log = LoggerFactory.getLogger(AliasAnswers.class);

  /** Short, so that a VIP the host agent moves reaches the resolvers that cache it within seconds. */
  static final long TTL_SECONDS = 5;

  /** What our EDNS replies offer: the DNS flag day 2020 size, which avoids IP fragmentation. */
  private static final int EDNS_PAYLOAD = 1232;

  private AliasAnswers() {}

  /**
   * Our reply to {@code query} when it asks for one of {@code names}, else null (the caller forwards).
   * A query for a known name is answered authoritatively: type A (and ANY) with the address, every
   * other type with NOERROR and no records (NODATA). NXDOMAIN would tell the resolver that the name has
   * no A record either, and a missing answer would make it try the next search domain. No SOA goes
   * with NODATA, so resolvers do not cache the absence of AAAA.
   */
  static Message answer(Message query, Map<String, String> names) {
    Record question = query.getQuestion();
    if (!isPlainQuery(query) || question.getDClass() != DClass.IN) {
      return null;
    }
    String address = lookup(names, question.getName());
    if (address == null) {
      return null;
    }
    int type = question.getType();
    if (type != Type.A && type != Type.ANY) {
      return reply(query, Rcode.NOERROR, true);
    }
    InetAddress ip = ipv4(address);
    if (ip == null) {
      log.debug("alias {} maps to {}, not an IPv4 address: SERVFAIL", question.getName(), address);
      return servfail(query);
    }
    Message reply = reply(query, Rcode.NOERROR, true);
    // The owner name is the question's, case and all: resolvers that randomise case (0x20) check it.
    reply.addRecord(new ARecord(question.getName(), DClass.IN, TTL_SECONDS, ip), Section.ANSWER);
    return reply;
  }

  /** SERVFAIL for {@code query}: what a client gets when no upstream answered. */
  static Message servfail(Message query) {
    return reply(query, Rcode.SERVFAIL, false);
  }

  /** One question, opcode QUERY, not itself a response: everything else is not ours to answer. */
  private static boolean isPlainQuery(Message query) {
    return query.getHeader().getOpcode() == Opcode.QUERY
        && !query.getHeader().getFlag(Flags.QR)
        && query.getHeader().getCount(Section.QUESTION) == 1
        && query.getQuestion() != null;
  }

  /**
   * The table's address for {@code name}. DNS names on the wire are absolute (they end in the root),
   * while the table's keys are lower case and may or may not end with a dot, so both are tried.
   */
  private static String lookup(Map<String, String> names, Name name) {
    String relative = name.toString(true).toLowerCase(Locale.ROOT);
    String address = names.get(relative);
    return address != null ? address : names.get(relative + ".");
  }

  /** A literal IPv4 address, or null; never a lookup. */
  private static InetAddress ipv4(String text) {
    byte[] bytes = Address.toByteArray(text.trim(), Address.IPv4);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      return null; // only thrown for a wrong length, and toByteArray gives four bytes
    }
  }

  private static Message reply(Message query, int rcode, boolean authoritative) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setOpcode(query.getHeader().getOpcode());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.RA); // other names are resolved for the client, by forwarding
    if (query.getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    if (authoritative) {
      reply.getHeader().setFlag(Flags.AA);
    }
    reply.getHeader().setRcode(rcode);
    if (query.getQuestion() != null) {
      reply.addRecord(query.getQuestion(), Section.QUESTION);
    }
    if (query.getOPT() != null) {
      reply.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    return reply;
  }
}
